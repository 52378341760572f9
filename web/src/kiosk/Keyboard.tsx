/**
 * The on-screen keyboard of a touch-only kiosk (simple-keyboard's logic, bundled; its look is ours:
 * no outside fonts or scripts).
 * It opens when a text field is touched — the kiosk's passphrase, the Wi-Fi password, the admin login,
 * every field of the console — in the layout of the screen's language, and types into that field as a
 * real keyboard would (the page's own input handlers see each change). A mouse or a real keyboard never
 * opens it; "Hide" or a touch elsewhere closes it.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { SimpleKeyboard as Keyboard } from 'simple-keyboard';
import { lang, t } from '../i18n.ts';
import { layoutFor } from './keyboard-layouts.ts';

type Field = HTMLInputElement | HTMLTextAreaElement;
const TEXT_TYPES = new Set(['text', 'password', 'search', 'email', 'url', 'tel', 'number', '']);

function isField(el: EventTarget | null): el is Field {
  if (el instanceof HTMLTextAreaElement) return !el.readOnly && !el.disabled;
  return el instanceof HTMLInputElement && TEXT_TYPES.has(el.type) && !el.readOnly && !el.disabled;
}

/** Types `text` at the caret (or deletes before it), then tells the page as typing would. */
function edit(el: Field, text: string | null): void {
  let start: number | null = null;
  try {
    start = el.selectionStart;
  } catch {
    /* number and email fields have no caret to ask */
  }
  if (start === null) {
    el.value = text === null ? el.value.slice(0, -1) : el.value + text;
  } else {
    const end = el.selectionEnd ?? start;
    if (text !== null) el.setRangeText(text, start, end, 'end');
    else if (end > start) el.setRangeText('', start, end, 'end');
    else if (start > 0) el.setRangeText('', start - 1, start, 'end');
  }
  el.dispatchEvent(new Event('input', { bubbles: true }));
}

export function OnScreenKeyboard() {
  const [field, setField] = useState<Field | null>(null);
  const [layer, setLayer] = useState<'default' | 'shift' | 'sym'>('default');
  const [, relang] = useState(0);
  const host = useRef<HTMLDivElement>(null);
  const kb = useRef<Keyboard | null>(null);
  const current = useRef<Field | null>(null);
  current.current = field;

  // Opened by a touch on a field; follows the focus from field to field while open; closed when the
  // focus leaves for something that is not a field (a button, a link) outside the keyboard.
  useEffect(() => {
    const down = (e: PointerEvent): void => {
      if ((e.pointerType === 'touch' || e.pointerType === 'pen') && isField(e.target)) setField(e.target);
    };
    const focus = (e: FocusEvent): void => {
      if (host.current?.contains(e.target as Node)) return;
      if (isField(e.target)) {
        if (current.current !== null) setField(e.target);
      } else setField(null);
    };
    addEventListener('pointerdown', down, true);
    addEventListener('focusin', focus);
    const off = lang.subscribe(() => relang((n) => n + 1));
    return () => {
      removeEventListener('pointerdown', down, true);
      removeEventListener('focusin', focus);
      off();
    };
  }, []);

  const open = field !== null;
  useEffect(() => {
    if (!open || host.current === null) return;
    const press = (button: string): void => {
      const el = current.current;
      if (el === null) return;
      switch (button) {
        case '{shift}':
          setLayer((l) => (l === 'shift' ? 'default' : 'shift'));
          break;
        case '{sym}':
          setLayer('sym');
          break;
        case '{abc}':
          setLayer('default');
          break;
        case '{hide}':
          setField(null);
          return;
        case '{enter}':
          if (el instanceof HTMLTextAreaElement) edit(el, '\n');
          else if (el.form) el.form.requestSubmit();
          break;
        case '{bksp}':
          edit(el, null);
          break;
        case '{space}':
          edit(el, ' ');
          break;
        default:
          edit(el, button);
          // One capital, as a phone's keyboard does.
          setLayer((l) => (l === 'shift' ? 'default' : l));
      }
      if (document.activeElement !== el && el.isConnected) el.focus({ preventScroll: true });
    };
    kb.current = new Keyboard(host.current, {
      onKeyPress: press,
      preventMouseDownDefault: true,
      stopMouseDownPropagation: true,
      disableButtonHold: true,
      // Our own look (styles.css): the package's stylesheet is not bundled.
      theme: 'qc-keyboard',
    });
    return () => {
      kb.current?.destroy();
      kb.current = null;
    };
  }, [open]);

  // Layout and key names follow the screen's language.
  useEffect(() => {
    if (kb.current === null) return;
    kb.current.setOptions({
      layout: layoutFor(lang.value) as unknown as Record<string, string[]>,
      layoutName: layer,
      display: {
        '{bksp}': '⌫',
        '{shift}': '⇧',
        '{space}': ' ',
        '{enter}': t('ui.kiosk2.kb.enter'),
        '{sym}': '?123',
        '{abc}': 'ABC',
        '{hide}': t('ui.kiosk2.kb.hide'),
      },
      buttonAttributes: [
        { attribute: 'aria-label', value: t('ui.kiosk2.kb.delete'), buttons: '{bksp}' },
        { attribute: 'aria-label', value: t('ui.kiosk2.kb.shift'), buttons: '{shift}' },
        { attribute: 'aria-label', value: t('ui.kiosk2.kb.space'), buttons: '{space}' },
      ],
    });
  });

  // The page makes room under the field: it is scrolled above the keyboard, never hidden by it.
  useEffect(() => {
    if (field === null || host.current === null) {
      document.body.style.paddingBottom = '';
      return;
    }
    const height = host.current.getBoundingClientRect().height;
    document.body.style.paddingBottom = `${height}px`;
    const r = field.getBoundingClientRect();
    const room = innerHeight - height - 8;
    if (r.bottom > room) scrollBy({ top: r.bottom - room + 8 });
    else if (r.top < 0) scrollBy({ top: r.top - 8 });
  }, [field, layer]);
  useEffect(() => () => void (document.body.style.paddingBottom = ''), []);

  useEffect(() => {
    if (field === null) setLayer('default');
  }, [field]);

  return (
    <div class={open ? 'osk no-print' : 'osk no-print closed'} role="group" aria-label={t('ui.kiosk2.kb.label')} data-testid="keyboard" hidden={!open} data-layout={lang.value}>
      <div ref={host} class="simple-keyboard" />
    </div>
  );
}
