import { DEFAULT_NOTE_THRESHOLDS, feedNotes } from '../detect/notes.js';
import type { Note } from '../detect/types.js';
import type { FeedSummary } from '../indicators/types.js';
import type { DeviceFacts } from './facts.js';

/**
 * The notes of a device check (ids and words in the rule registry's NOTES), in the order the report
 * states them: the apps checked, what the acquisition lacked or had damaged, the lists used, and what
 * a device check cannot see. The device verdict reads these and the findings, never the facts.
 */

/** The parts of a device check that the acquisition may lack, each a `device.part.*` word. */
function missingParts(facts: DeviceFacts): string[] {
  const missing: string[] = [];
  if (facts.apps.length === 0) missing.push('apps');
  if (facts.accessibility === null) missing.push('accessibility');
  if (facts.notificationListeners === null) missing.push('notifications');
  if (facts.deviceAdmins === null) missing.push('admins');
  if (facts.verifier === null) missing.push('settings');
  if (facts.adb === null) missing.push('adb');
  return missing;
}

export interface DeviceNotesContext {
  /** Every list loaded, as the report names them. */
  feeds?: readonly FeedSummary[];
  /** The time the lists' age is measured against (default: now). */
  now?: Date;
}

export function deviceNotes(facts: DeviceFacts, ctx: DeviceNotesContext = {}): Note[] {
  const notes: Note[] = [];
  const thirdParty = facts.apps.filter((a) => a.thirdParty || !a.system).length;
  if (facts.apps.length > 0) notes.push({ id: 'NOTE-DEV-APPS', params: { count: facts.apps.length, thirdParty } });
  if (facts.source.partial) {
    notes.push({ id: 'NOTE-DEV-PARTIAL', params: { problems: [facts.source.damage, ...facts.source.problems.map((p) => `${p.file}: ${p.message}`)].filter((x) => x).join('; ') } });
  }
  const missing = missingParts(facts);
  if (missing.includes('apps')) notes.push({ id: 'NOTE-DEV-NO-APPS', params: {} });
  const notApps = missing.filter((m) => m !== 'apps');
  if (notApps.length > 0) notes.push({ id: 'NOTE-DEV-MISSING', params: { parts: notApps.join(',') } });
  notes.push(...feedNotes(ctx.feeds ?? [], ctx.now ?? new Date(), DEFAULT_NOTE_THRESHOLDS, 'NOTE-DEV-NO-FEEDS'));
  // Apps hiding their icon are looked for only as far as the acquisition says which apps have one.
  if (facts.apps.length > 0 && facts.launchers !== 'icons') notes.push({ id: facts.launchers === 'start-screens' ? 'NOTE-DEV-ICONS-START' : 'NOTE-DEV-ICONS-NONE', params: {} });
  notes.push({ id: 'NOTE-DEV-CANNOT-SEE', params: {} });
  notes.push({ id: 'NOTE-DEV-NOT-PROOF', params: {} });
  return notes;
}
