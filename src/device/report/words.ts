import type { Finding } from '../../detect/types.js';
import { renderMessage } from '../../report/format.js';
import { joinList, t, type Lang, type Message } from '../../i18n/index.js';
import { findingExplanation, findingTitle } from '../../report/words.js';
import { findingCapabilities } from '../rules/index.js';

/** Device words: findings through the shared finding words, plus capabilities, sources and parts. */

export { findingExplanation, findingTitle };

export function capabilityList(lang: Lang, ids: readonly string[]): string {
  return joinList(
    lang,
    ids.map((c) => t(lang, `device.can.${c}`)),
  );
}

export function canReadLine(lang: Lang, f: Finding): string | null {
  const caps = findingCapabilities(f);
  return caps.length > 0 ? t(lang, 'device.canRead', { list: capabilityList(lang, caps) }) : null;
}

export function sourceWords(lang: Lang, source: string): string {
  return t(lang, `device.source.${source || 'unknown'}`);
}

/** Device limits carry lists of part ids; they are worded here before the shared renderer formats the rest. */
export function renderDeviceMessage(lang: Lang, m: Message): string {
  if (m.key === 'device.limit.missing' && typeof m.params.parts === 'string') {
    const parts = m.params.parts.split(',').map((p) => t(lang, `device.part.${p}`));
    return t(lang, m.key, { parts: joinList(lang, parts) });
  }
  return renderMessage(lang, m);
}
