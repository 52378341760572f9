/**
 * The pieces of a result screen that the traffic result and the combined result show alike: the
 * verdict banner (level, headline, summary, families) and a finding as a card that opens.
 */
import { useEffect, useState } from 'preact/hooks';
import { kioskSettings, type Finding, type Level } from '../api.ts';
import { fmtDate, t } from '../i18n.ts';
import { navigate } from '../router.ts';
import { Icon, kioskReset, LEVEL_ICON, Title, useIdleReturn } from '../ui.tsx';

export function VerdictBanner({ level, summary, families }: { level: Level; summary: string; families: readonly string[] }) {
  return (
    <section class={`verdict verdict-${level}`} data-testid="verdict" data-level={level}>
      <Icon name={LEVEL_ICON[level]} size={56} />
      <div>
        <p class="verdict-kicker">{t('ui.result.kicker', { level: t(`level.${level}`) })}</p>
        <Title class="verdict-headline">{t(`verdict.${level}.headline`)}</Title>
        <p class="verdict-summary">{summary}</p>
        {families.length > 0 && (
          <p class="verdict-families">
            {t('ui.result.families')} <strong>{families.join(', ')}</strong>
          </p>
        )}
      </div>
    </section>
  );
}

export type CardFinding = Pick<Finding, 'id' | 'level' | 'title' | 'explanation' | 'host' | 'family'> & { indicator?: Finding['indicator'] };

/**
 * `unweighed`: a finding the verdict could not weigh (an inconclusive device check) shows that instead
 * of its level; `note` says which check it came from; `canRead` what the app can see.
 */
export function FindingCard(props: { f: CardFinding; open?: boolean; unweighed?: boolean; note?: string; canRead?: string | null; testid?: string; check?: 'traffic' | 'device' }) {
  const { f, open = false, unweighed = false, note, canRead, testid = 'finding', check } = props;
  const level = unweighed ? 'low' : f.level;
  return (
    <details class={`finding finding-${level}`} data-testid={testid} data-check={check} open={open}>
      <summary>
        <span class={`badge badge-${unweighed ? 'inconclusive' : f.level}`}>{unweighed ? t('combine.unweighed') : t(`level.${f.level}`)}</span>
        <span class="finding-title">{f.title}</span>
        <span class="finding-host mono">{f.host}</span>
      </summary>
      <div class="finding-body">
        {note && <p class="muted small">{note}</p>}
        <p>{f.explanation}</p>
        {canRead && <p><strong>{canRead}</strong></p>}
        {f.family && <p><strong>{t('ui.finding.family')}</strong> {f.family}</p>}
        {f.indicator && (
          <p class="muted small">
            {t('ui.finding.basedOn', { value: f.indicator.value, feed: f.indicator.feed, date: fmtDate(f.indicator.feedDate) })}
          </p>
        )}
        <p class="muted small mono">{f.id}</p>
      </div>
    </details>
  );
}

/**
 * Whether a result may be on this screen yet: on the kiosk only once the worker chose to see it
 * (`revealed`), and never where the admin set results to be read elsewhere (`elsewhere`, null until the
 * kiosk's settings are known). The admin console is the worker's own screen: shown at once. `done`
 * leaves the result (back to the console's checks, or the kiosk's welcome), and the kiosk returns to
 * its welcome screen after its idle time.
 */
export function useRevealGate(adminView: boolean, alreadyShown = false): { revealed: boolean; reveal: () => void; elsewhere: boolean | null; done: () => void } {
  const [revealed, setRevealed] = useState(adminView || alreadyShown);
  const [elsewhere, setElsewhere] = useState<boolean | null>(adminView ? false : null);
  useIdleReturn(!adminView);
  useEffect(() => {
    if (adminView) return;
    let live = true;
    void kioskSettings(true).then((k) => live && setElsewhere(k.kioskRevealElsewhere));
    return () => {
      live = false;
    };
  }, [adminView]);
  return { revealed, reveal: () => setRevealed(true), elsewhere, done: adminView ? (): void => navigate('/admin/checks') : kioskReset };
}
