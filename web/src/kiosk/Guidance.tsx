/**
 * What to do now, where to find help and the limits on the kiosk, rendered from the list the HTML and
 * PDF reports render too (src/report/guidance.ts): the traffic result and the USB device result alike.
 */
import { helplineLines, type GuidanceBlock, type HelpBlock } from '../../../src/report/guidance.ts';
import { t } from '../i18n.ts';

/** What to do now as cards, where to find help as the last card, then the limits (already in the report's words). */
export function GuidanceBlocks({ blocks }: { blocks: readonly GuidanceBlock<string>[] }) {
  return (
    <>
      {blocks.map((b) => {
        if (b.kind === 'steps') {
          const help = blocks.find((x): x is HelpBlock => x.kind === 'help');
          return (
            <section aria-labelledby="todo-h" class="guidance" key="steps">
              <h2 id="todo-h">{t(b.heading)}</h2>
              <p>{t(b.intro)}</p>
              <div class="cards">
                {b.steps.map((s) => (
                  <div class="card" key={s.id} data-step={s.id}>
                    <h3>{t(s.title)}</h3>
                    <p>{t(s.text)}</p>
                  </div>
                ))}
                {help && (
                  <div class="card help" data-step="help">
                    <h3>{t(help.title)}</h3>
                    <p>{t(help.text)}</p>
                    <p class="pre">{helplineLines(help, (k) => t(k)).join('\n')}</p>
                    {help.contact && (
                      <p data-testid="service-contact">
                        <strong>{t(help.contactLabel)}</strong> {help.contact}
                      </p>
                    )}
                  </div>
                )}
              </div>
            </section>
          );
        }
        if (b.kind === 'limits') {
          return (
            <section aria-labelledby="limits-h" key="limits">
              <h2 id="limits-h">{t(b.heading)}</h2>
              <ul class="limits">
                {b.items.map((l, i) => <li key={i}>{l}</li>)}
              </ul>
            </section>
          );
        }
        return null; // the help block is the last card of the steps
      })}
    </>
  );
}
