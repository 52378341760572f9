/** `getprop` (`[key]: [value]`) and `settings list` (`key=value`) output. */

export function parseGetprop(text: string): Map<string, string> {
  const out = new Map<string, string>();
  // Values may span lines (a multi-line property is rare but real): the bracket pair decides.
  const re = /^\[([^\]\n]+)\]:\s*\[([\s\S]*?)\]\s*$/gm;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) out.set(m[1]!, m[2]!);
  return out;
}

export function parseSettings(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const eq = raw.indexOf('=');
    if (eq <= 0) continue;
    const key = raw.slice(0, eq).trim();
    if (!/^[\w.:-]+$/.test(key)) continue;
    out.set(key, raw.slice(eq + 1).trim());
  }
  return out;
}

/** A colon-separated component list (`enabled_accessibility_services`, `enabled_notification_listeners`). */
export function componentList(value: string | undefined): string[] {
  if (!value || value === 'null') return [];
  return value
    .split(':')
    .map((s) => s.trim())
    .filter((s) => s.includes('/'));
}
