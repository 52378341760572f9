import { isComponent, linesOf, normalizeComponent } from './dumpsys.js';

/**
 * `dumpsys accessibility`. Before Android 14 the lists are blocks (`enabled services: {` … `0 : pkg/cls`
 * … `}`); from Android 14 they are inline (`Enabled services:{{pkg/cls}, {pkg/cls}}`). Bound services
 * after 14 are listed by label only, so the enabled list is what names the apps.
 */

export interface AccessibilityDump {
  format: 'legacy' | 'v14';
  installed: string[];
  enabled: string[];
  bound: string[];
}

function inlineItems(rest: string): string[] {
  const out: string[] = [];
  const re = /\{([^{}]+)\}/g;
  for (let m = re.exec(rest); m !== null; m = re.exec(rest)) {
    for (const part of m[1]!.split(',')) {
      const c = part.trim();
      if (isComponent(c)) out.push(normalizeComponent(c));
    }
  }
  return out;
}

export function parseAccessibility(text: string): AccessibilityDump {
  const lines = linesOf(text);
  const lists: Record<'installed' | 'enabled' | 'bound' | 'binding', string[]> = { installed: [], enabled: [], bound: [], binding: [] };
  let format: AccessibilityDump['format'] = 'legacy';
  let current: keyof typeof lists | null = null;
  for (const line of lines) {
    const t = line.trim();
    const head = /^(installed|enabled|bound|binding) services\s*:\s*\{(.*)$/i.exec(t);
    if (head) {
      const which = head[1]!.toLowerCase() as keyof typeof lists;
      const rest = head[2]!;
      if (rest.includes('{') || rest.includes('}')) {
        // Inline form (Android 14+): everything is on this line.
        if (rest.includes('{')) format = 'v14';
        lists[which].push(...inlineItems(`{${rest}`));
        current = rest.trimEnd().endsWith('}') ? null : which;
      } else current = which;
      continue;
    }
    if (current === null) continue;
    if (t.startsWith('}')) {
      current = null;
      continue;
    }
    const item = /^\d+\s*:\s*(\S+)/.exec(t);
    const c = item ? item[1]! : t.replace(/[{},]/g, '').trim();
    if (isComponent(c)) lists[current].push(normalizeComponent(c));
  }
  const uniq = (a: string[]): string[] => [...new Set(a)];
  return { format, installed: uniq(lists.installed), enabled: uniq(lists.enabled), bound: uniq([...lists.bound, ...lists.binding]) };
}
