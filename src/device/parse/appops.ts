import { indentOf, linesOf } from './dumpsys.js';

/**
 * `dumpsys appops`: per package, each operation and its mode (`RECORD_AUDIO (allow):`, or
 * `COARSE_LOCATION: mode=ignore` at uid level). Only allowed operations matter to the rules: what an
 * app may do now, whatever it did before.
 */

export type AppOps = Map<string, Map<string, string>>;

export function parseAppops(text: string): AppOps {
  const out: AppOps = new Map();
  let pkg: string | null = null;
  let pkgIndent = 0;
  for (const line of linesOf(text)) {
    if (line.trim() === '') continue;
    const ind = indentOf(line);
    const t = line.slice(ind);
    if (/^Uid /.test(t)) {
      pkg = null;
      continue;
    }
    const p = /^Package ([\w.]+):$/.exec(t);
    if (p) {
      pkg = p[1]!;
      pkgIndent = ind;
      if (!out.has(pkg)) out.set(pkg, new Map());
      continue;
    }
    if (pkg === null) continue;
    if (ind <= pkgIndent) {
      pkg = null;
      continue;
    }
    const op = /^([A-Z][A-Z0-9_]+) \((\w+)\):?/.exec(t) ?? /^([A-Z][A-Z0-9_]+): mode=(\w+)/.exec(t);
    if (op) out.get(pkg)!.set(op[1]!, op[2]!);
  }
  return out;
}
