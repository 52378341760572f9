/**
 * Accessibility checks that run in the page (WCAG 2.1 contrast, accessible names, the focus ring, touch
 * target sizes) and the test-side helpers around them, shared by the kiosk's accessibility tests.
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';

/**
 * Functions that run in the page (the tests are compiled without the DOM's types), installed as
 * `window.__qcA11y`: WCAG 2.1 contrast, accessible names, and what the focused element looks like.
 */
const IN_PAGE = String.raw`
(() => {
  const parse = (c) => {
    const m = /rgba?\(([^)]+)\)/.exec(c || '');
    if (!m) return null;
    const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  // Colour 'top' (with its alpha) over 'bottom'.
  const over = (top, bottom) => {
    const a = top[3] + bottom[3] * (1 - top[3]);
    if (a === 0) return [0, 0, 0, 0];
    const mix = (i) => (top[i] * top[3] + bottom[i] * bottom[3] * (1 - top[3])) / a;
    return [mix(0), mix(1), mix(2), a];
  };
  // Relative luminance of an sRGB colour, and the contrast ratio of two colours (WCAG 2.1).
  const lum = (c) => {
    const f = (v) => {
      v /= 255;
      return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
  };
  const ratio = (a, b) => {
    const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  // The colour behind an element: its own background and its ancestors', composited down to an opaque one (the canvas is white).
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) {
        layers.push(c);
        if (c[3] >= 1) break;
      }
    }
    let bg = [255, 255, 255, 1];
    for (let i = layers.length - 1; i >= 0; i--) bg = over(layers[i], bg);
    return bg;
  };
  const opacity = (el) => {
    let o = 1;
    for (let e = el; e; e = e.parentElement) o *= Number(getComputedStyle(e).opacity);
    return o;
  };
  const where = (el) => {
    const parts = [];
    for (let e = el; e && e !== document.body && parts.length < 3; e = e.parentElement) {
      parts.unshift(e.tagName.toLowerCase() + (e.classList.length ? '.' + [...e.classList].join('.') : '') + (e.dataset.testid ? '[' + e.dataset.testid + ']' : ''));
    }
    return parts.join(' > ');
  };
  const shown = (el) => {
    const s = getComputedStyle(el);
    if (s.visibility !== 'visible' || s.display === 'none') return false;
    const r = el.getBoundingClientRect();
    return r.width > 1 && r.height > 1;
  };
  const fmt = (c) => 'rgb(' + c.slice(0, 3).map((v) => Math.round(v)).join(',') + ')';

  /** Every visible text (text nodes, and the values shown in inputs and selects) below its required contrast. */
  const contrast = () => {
    const checked = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (!n.textContent.trim()) continue;
      const el = n.parentElement;
      if (!el || el.closest('script, style, svg, option, [aria-hidden="true"], :disabled')) continue;
      checked.push([el, n.textContent.trim()]);
    }
    for (const el of document.querySelectorAll('input:not([type=checkbox]):not([type=radio]):not([type=file]):not([type=hidden]), select, textarea')) {
      if (!el.disabled && (el.value || '').trim()) checked.push([el, el.value.trim()]);
    }
    const failures = [];
    let count = 0;
    for (const [el, text] of checked) {
      if (!shown(el)) continue;
      const s = getComputedStyle(el);
      const fg0 = parse(s.color);
      if (!fg0) continue;
      const bg = background(el);
      const fg = over([fg0[0], fg0[1], fg0[2], fg0[3] * opacity(el)], bg);
      const size = parseFloat(s.fontSize);
      const bold = Number(s.fontWeight) >= 700;
      const large = size >= 24 || (size >= 18.66 && bold);
      const need = large ? 3 : 4.5;
      const r = ratio(fg, bg);
      count++;
      if (r < need) failures.push({ text: text.slice(0, 50), where: where(el), fg: fmt(fg), bg: fmt(bg), ratio: Math.round(r * 100) / 100, need, size });
    }
    return { count, failures };
  };

  const text = (n) => (n ? n.textContent || '' : '').replace(/\s+/g, ' ').trim();
  const nameOf = (el) => {
    const by = el.getAttribute('aria-labelledby');
    if (by) {
      const t = by.split(/\s+/).map((id) => text(document.getElementById(id))).join(' ').trim();
      if (t) return t;
    }
    const aria = (el.getAttribute('aria-label') || '').trim();
    if (aria) return aria;
    if (el.labels && el.labels.length) {
      const t = [...el.labels].map(text).join(' ').trim();
      if (t) return t;
    }
    if (el.tagName === 'BUTTON' || el.tagName === 'A' || el.tagName === 'SUMMARY') {
      const t = text(el);
      if (t) return t;
    }
    return (el.getAttribute('title') || '').trim();
  };
  /** Every rendered input, select, textarea, button, link and disclosure, with its accessible name ('' where it has none). */
  const controls = () =>
    [...document.querySelectorAll('input, select, textarea, button, a[href], summary')]
      .filter((el) => el.type !== 'hidden' && el.getClientRects().length > 0)
      .map((el) => ({ where: where(el), type: el.type || el.tagName.toLowerCase(), name: nameOf(el) }));

  /**
   * The focused element and its focus ring: an outline or a box-shadow on it or, where the control itself
   * is invisible (a file input, a radio in a card), on the nearest visible container that draws one.
   */
  const focused = () => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    let ring = null;
    for (let e = el, i = 0; e && i < 3 && ring === null; e = e.parentElement, i++) {
      const s = getComputedStyle(e);
      if (Number(s.opacity) === 0) continue;
      const w = parseFloat(s.outlineWidth);
      if (s.outlineStyle !== 'none' && w >= 2) {
        const c = parse(s.outlineColor);
        // The ring against what is around it (the container's background).
        ring = { on: where(e), style: s.outlineStyle + ' ' + s.outlineWidth, contrast: c ? Math.round(ratio(over(c, background(e.parentElement || e)), background(e.parentElement || e)) * 100) / 100 : 0 };
      } else if (s.boxShadow && s.boxShadow !== 'none') {
        ring = { on: where(e), style: s.boxShadow, contrast: null };
      }
    }
    return {
      tag: el.tagName.toLowerCase(),
      type: el.type || null,
      name: nameOf(el) || text(el),
      lang: el.dataset ? el.dataset.lang || null : null,
      testid: el.dataset ? el.dataset.testid || null : null,
      href: el.getAttribute('href'),
      focusVisible: el.matches(':focus-visible'),
      ring,
    };
  };
  /** Every visible control a finger may need (links, buttons, fields, disclosure summaries) smaller than min×min CSS pixels. */
  const smallTargets = (min) =>
    [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')]
      .filter((el) => shown(el) && !el.closest('[aria-hidden="true"]'))
      .map((el) => ({ el, r: el.getBoundingClientRect() }))
      // Off the screen until focused (the skip link): not a touch target.
      .filter(({ r }) => r.right > 0 && r.bottom > 0)
      // The page's own controls; the header and footer around every screen are held to WCAG 2.5.8's 24 px.
      .filter(({ el, r }) => (el.closest('main') ? r.width < min || r.height < min : r.width < 24 || r.height < 24))
      .map(({ el, r }) => ({ where: where(el), name: nameOf(el) || text(el), width: Math.round(r.width), height: Math.round(r.height) }));
  window.__qcA11y = { contrast, controls, focused, smallTargets };
})();
`;

export interface Focused {
  tag: string;
  type: string | null;
  name: string;
  lang: string | null;
  testid: string | null;
  href: string | null;
  focusVisible: boolean;
  ring: { on: string; style: string; contrast: number | null } | null;
}
export interface Contrast {
  count: number;
  failures: { text: string; where: string; fg: string; bg: string; ratio: number; need: number; size: number }[];
}

export async function install(page: Page): Promise<void> {
  await page.addInitScript(IN_PAGE);
}
export const focused = (page: Page): Promise<Focused | null> => page.evaluate('window.__qcA11y.focused()') as Promise<Focused | null>;

/** Tab until `want` is focused (at most `max` presses), checking on the way that every stop shows a focus ring. */
export async function tabTo(page: Page, want: (f: Focused) => boolean, max = 30, seen: Focused[] = []): Promise<Focused> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    assert.ok(f, 'Tab left the page');
    seen.push(f);
    assert.ok(f.focusVisible, `${f.tag} "${f.name}" is focused without :focus-visible`);
    assert.ok(f.ring, `${f.tag} "${f.name}" has no visible focus ring`);
    assert.ok(f.ring.contrast === null || f.ring.contrast >= 3, `the focus ring of ${f.tag} "${f.name}" has a contrast of ${f.ring.contrast}:1 with what is around it (3:1 needed)`);
    if (want(f)) return f;
  }
  assert.fail(`not reached with Tab: ${seen.map((f) => `${f.tag}:${f.name}`).join(' | ')}`);
}

export async function assertContrast(page: Page, label: string): Promise<number> {
  const c = (await page.evaluate('window.__qcA11y.contrast()')) as Contrast;
  assert.ok(c.count > 5, `${label}: only ${c.count} texts found`);
  assert.deepEqual(c.failures, [], `${label}: texts below the WCAG 2.1 contrast ratio`);
  return c.count;
}

export async function assertNames(page: Page, label: string): Promise<number> {
  const list = (await page.evaluate('window.__qcA11y.controls()')) as { where: string; type: string; name: string }[];
  assert.ok(list.length > 0, `${label}: no controls found`);
  assert.deepEqual(list.filter((c) => c.name === ''), [], `${label}: controls without an accessible name`);
  return list.length;
}

/** Every card of the page has its data: no spinner and no "…" placeholder left. */
export async function loaded(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const doc = (globalThis as unknown as { document: { querySelector(s: string): unknown; querySelectorAll(s: string): Iterable<{ textContent: string | null }> } }).document;
      return doc.querySelector('.spinner') === null && ![...doc.querySelectorAll('dd')].some((d) => d.textContent === '…');
    },
    undefined,
    { timeout: 15_000 },
  );
}


/**
 * Touch targets under 44×44 CSS pixels (WCAG 2.5.5) on the screen itself, under 24×24 (WCAG 2.5.8) in
 * the header and footer: the kiosk is used with a finger, often in a hurry.
 */
export async function assertTargets(page: Page, label: string, min = 44): Promise<void> {
  const small = (await page.evaluate(`window.__qcA11y.smallTargets(${min})`)) as { where: string; name: string; width: number; height: number }[];
  assert.deepEqual(small, [], `${label}: touch targets smaller than ${min}×${min} px`);
}
