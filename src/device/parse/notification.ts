import { isComponent, linesOf, normalizeComponent } from './dumpsys.js';

/**
 * `dumpsys notification`: notification listeners allowed to read every notification (message
 * previews, codes sent by SMS). The settings value `enabled_notification_listeners` says the same and
 * is read too; this parser reads the `Notification listeners:` block (approved and live listeners).
 */

export function parseNotificationListeners(text: string): string[] {
  const out = new Set<string>();
  let inListeners = false;
  for (const line of linesOf(text)) {
    const t = line.trim();
    if (/^(Notification )?listeners:$/i.test(t) || /^(Live|All|Allowed) notification listeners/i.test(t)) {
      inListeners = true;
      continue;
    }
    if (!inListeners) continue;
    // Listeners switched off or refused are listed too on some builds: not access.
    if (/^(Disallowed|Disabled|Not allowed)\b/i.test(t)) {
      inListeners = false;
      continue;
    }
    // The next block of the dump (assistants, condition providers…) ends the listeners.
    if (/^(Notification assistants|Assistants|Condition providers|Policy access|Snoozed|mListenerHints|Notification List):?/i.test(t)) {
      inListeners = false;
      continue;
    }
    const re = /ComponentInfo\{([^}]+)\}/g;
    for (let m = re.exec(t); m !== null; m = re.exec(t)) if (isComponent(m[1]!)) out.add(normalizeComponent(m[1]!));
    for (const word of t.split(/[\s,:]+/)) {
      const w = word.replace(/^.*ComponentInfo/, '').replace(/[{}[\]()]/g, '');
      if (isComponent(w)) out.add(normalizeComponent(w));
    }
  }
  return [...out];
}
