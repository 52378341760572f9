/**
 * `dumpsys` output split into its services. AndroidQF's dumpsys.txt is one run of plain `dumpsys`:
 * each service starts with `DUMP OF SERVICE <name>:` (Android 10+ may insert a priority:
 * `DUMP OF SERVICE CRITICAL <name>:`). Real dumps hold binary bytes (the `keystore=ABX…` line of
 * `dumpsys adb`); they are decoded as UTF-8 with replacement characters and never stop the split.
 */

const HEADER = /^DUMP OF SERVICE (?:(?:CRITICAL|HIGH|NORMAL) )?([^\s:]+):[ \t]*$/gm;

/**
 * Decodes bytes of a dump one byte per character: binary bytes never fail, and a 50 MB dump stays a
 * 50 MB one-byte string. Everything the parsers read (names, keys, flags) is ASCII; app labels in
 * other scripts are not used.
 */
export function dumpText(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/** Sections by service name; a service dumped twice (priority passes) keeps both parts, joined. */
export function splitDumpsys(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const heads: { name: string; start: number; bodyStart: number }[] = [];
  HEADER.lastIndex = 0;
  for (let m = HEADER.exec(text); m !== null; m = HEADER.exec(text)) {
    heads.push({ name: m[1]!, start: m.index, bodyStart: m.index + m[0].length + 1 });
  }
  for (let i = 0; i < heads.length; i++) {
    const h = heads[i]!;
    const end = i + 1 < heads.length ? heads[i + 1]!.start : text.length;
    const body = text.slice(Math.min(h.bodyStart, end), end);
    const prev = out.get(h.name);
    out.set(h.name, prev === undefined ? body : `${prev}\n${body}`);
  }
  return out;
}

/** The text of one service: from a full dump's section, or the whole text when it is a single-service dump. */
export function serviceText(text: string, name: string): string | null {
  const sections = splitDumpsys(text);
  if (sections.size === 0) return text;
  return sections.get(name) ?? null;
}

/**
 * Lines of a section, one at a time (a phone's package dump has a million lines: an array of them
 * would cost more memory than the dump), with carriage returns removed.
 */
export function* linesOf(text: string): Generator<string> {
  let start = 0;
  const n = text.length;
  while (start < n) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = n;
    const stop = end > start && text.charCodeAt(end - 1) === 0x0d ? end - 1 : end;
    yield text.slice(start, stop);
    start = end + 1;
  }
}

export function indentOf(line: string): number {
  let i = 0;
  while (i < line.length && line.charCodeAt(i) === 0x20) i++;
  return i;
}

/** `pkg/cls` or `pkg/.cls` → its package. */
export function packageOfComponent(component: string): string {
  const slash = component.indexOf('/');
  return slash > 0 ? component.slice(0, slash) : component;
}

/** `pkg/.Cls` expanded to `pkg/pkg.Cls`, so the same component written two ways compares equal. */
export function normalizeComponent(component: string): string {
  const c = component.trim();
  const slash = c.indexOf('/');
  if (slash <= 0) return c;
  const pkg = c.slice(0, slash);
  const cls = c.slice(slash + 1);
  return cls.startsWith('.') ? `${pkg}/${pkg}${cls}` : c;
}

const COMPONENT = /^[A-Za-z][\w.]*\/[\w.$]+$/;

export function isComponent(s: string): boolean {
  return COMPONENT.test(s);
}
