/** Small shared pieces: icons, the language picker, headings that take focus, notices. */
import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { LANG_NAMES, LANGS, lang, setLang, t, type Lang } from './i18n.ts';
import { api, kioskSettings, type Level } from './api.ts';
import { navigate } from './router.ts';
import { endAdminSession } from './session.ts';
import { signal } from './store.ts';

/**
 * The live check this kiosk is following while it runs (until its result is ready): the header's home
 * link and the footer then do not take the screen away from it.
 */
export const runningCheck = signal<string | null>(null);

/** The kiosk's name in its header and the window's title: the admin's kioskTitle. */
export const headerTitle = signal('quietcheck');
export function loadHeaderTitle(fresh = false): void {
  void kioskSettings(fresh).then((k) => {
    headerTitle.value = k.kioskTitle;
    document.title = k.kioskTitle;
  });
}

export function Icon({ name, size = 24 }: { name: 'alert' | 'warn' | 'info' | 'ok' | 'phone' | 'file' | 'wifi' | 'lock' | 'stop' | 'chevron'; size?: number }) {
  const common = { width: size, height: size, viewBox: '0 0 24 24', 'aria-hidden': 'true' as const, focusable: 'false' as const, class: 'icon' };
  const disc = <circle cx="12" cy="12" r="10.5" fill="currentColor" />;
  // A filled shape with a stroke drawn on it in the background colour: the level and notice icons.
  const marked = (shape: JSX.Element, d: string) => (
    <svg {...common}>
      {shape}
      <path d={d} stroke="var(--icon-on, #fff)" stroke-width="2.4" stroke-linecap="round" />
    </svg>
  );
  switch (name) {
    case 'alert':
      return marked(<path d="M12 2.5L1.5 21h21L12 2.5z" fill="currentColor" />, 'M12 9v5.5M12 17.2v.3');
    case 'warn':
      return marked(disc, 'M12 6.5v7M12 16.8v.3');
    case 'info':
      return marked(disc, 'M12 10.5v7M12 6.8v.3');
    case 'ok':
      return (
        <svg {...common}>
          {disc}
          <path d="M7 12.5l3.3 3.3L17.2 8.8" fill="none" stroke="var(--icon-on, #fff)" stroke-width="2.4" stroke-linecap="round" stroke-linejoin="round" />
        </svg>
      );
    case 'phone':
      return (
        <svg {...common}>
          <rect x="6" y="2" width="12" height="20" rx="2.5" fill="none" stroke="currentColor" stroke-width="2" />
          <path d="M10.5 18.5h3" stroke="currentColor" stroke-width="2" stroke-linecap="round" />
        </svg>
      );
    case 'file':
      return (
        <svg {...common}>
          <path d="M6 2.5h8l4.5 4.5v14.5H6z" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round" />
          <path d="M13.5 2.5V7.5h5" fill="none" stroke="currentColor" stroke-width="2" />
        </svg>
      );
    case 'wifi':
      return (
        <svg {...common}>
          <path d="M2.5 9a14 14 0 0 1 19 0M5.5 12.5a9.5 9.5 0 0 1 13 0M8.7 16a5 5 0 0 1 6.6 0" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" />
          <circle cx="12" cy="19.3" r="1.5" fill="currentColor" />
        </svg>
      );
    case 'lock':
      return (
        <svg {...common}>
          <rect x="5" y="10.5" width="14" height="10.5" rx="2" fill="currentColor" />
          <path d="M8 10.5V7.5a4 4 0 0 1 8 0v3" fill="none" stroke="currentColor" stroke-width="2" />
        </svg>
      );
    case 'stop':
      return (
        <svg {...common}>
          <rect x="5" y="5" width="14" height="14" rx="2" fill="currentColor" />
        </svg>
      );
    case 'chevron':
      return (
        <svg {...common}>
          <path d="M9 5l7 7-7 7" fill="none" stroke="currentColor" stroke-width="2.4" stroke-linecap="round" stroke-linejoin="round" />
        </svg>
      );
  }
}

export const LEVEL_ICON: Record<Level, 'alert' | 'warn' | 'info' | 'ok'> = { high: 'alert', moderate: 'warn', low: 'info', none: 'ok', inconclusive: 'info' };

/** The screen's title; it takes the focus when the screen appears, so a screen reader starts there. */
export function Title({ children, class: cls }: { children: ComponentChildren; class?: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus({ preventScroll: false });
  }, []);
  return (
    <h1 ref={ref} tabIndex={-1} class={cls}>
      {children}
    </h1>
  );
}

export function LangPicker({ value, onPick, label }: { value: Lang; onPick: (l: Lang) => void; label: string }) {
  return (
    <fieldset class="langs">
      <legend>{label}</legend>
      <div class="lang-row">
        {LANGS.map((l) => (
          <button
            type="button"
            key={l}
            class={l === value ? 'lang on' : 'lang'}
            aria-pressed={l === value}
            lang={l}
            data-lang={l}
            onClick={() => onPick(l)}
          >
            {LANG_NAMES[l]}
          </button>
        ))}
      </div>
    </fieldset>
  );
}

export function Notice({ kind = 'info', children }: { kind?: 'info' | 'error' | 'ok'; children: ComponentChildren }) {
  return (
    <div class={`notice notice-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      <Icon name={kind === 'error' ? 'warn' : kind === 'ok' ? 'ok' : 'info'} size={20} />
      <div>{children}</div>
    </div>
  );
}

/** A table that scrolls sideways on a narrow screen, one column head per entry of `heads`. */
export function Table({ heads, testid, children }: { heads: ComponentChildren[]; testid?: string; children: ComponentChildren }) {
  return (
    <div class="table-wrap">
      <table data-testid={testid}>
        <thead>
          <tr>
            {heads.map((h, i) => (
              <th scope="col" key={i}>{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

export function Spinner({ label }: { label: string }) {
  return (
    <div class="spinner-wrap" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

/** A message for the API's errors that a support worker can act on. */
export function errorText(err: unknown): string {
  const e = err as { code?: string; message?: string; status?: number };
  const known: Record<string, string> = {
    'no-interface': 'ui.error.noInterface',
    'no-such-interface': 'ui.error.noInterface',
    busy: 'ui.error.busy',
    'local-only': 'ui.error.localOnly',
    'not-a-capture': 'ui.error.notCapture',
    'too-large': 'ui.error.tooLarge',
    'login-required': 'ui.error.loginRequired',
    'bad-password': 'ui.error.badPassword',
    'weak-password': 'ui.error.weakPassword',
    'rate-limited': 'ui.error.rateLimited',
    network: 'ui.error.network',
    'pdf-unavailable': 'ui.error.pdf',
  };
  const key = e.code ? known[e.code] : undefined;
  if (key) return t(key);
  if (e.code === 'permission' || e.code === 'tcpdump-missing' || e.status === 503) return t('ui.error.capture', { detail: e.message ?? '' });
  return t('ui.error.generic', { detail: e.message ?? String(err) });
}

export function useLangKey(): string {
  return lang.value;
}

/**
 * Whether the person at the kiosk picked the language by hand (or the address named one): the kiosk's
 * default language then no longer replaces it, until the kiosk goes back to the start for the next person.
 */
let langByHand = false;
export function langChosen(): boolean {
  return langByHand;
}
export function pickLang(l: Lang): void {
  langByHand = true;
  void setLang(l);
}
/** The next person starts afresh: the kiosk's default language applies again on the welcome screen. */
export function kioskReset(): void {
  langByHand = false;
  // The next person at the kiosk must never find the admin logged in.
  void endAdminSession();
  navigate('/');
}

/**
 * Back to the welcome screen after the kiosk's idle time (set by the admin; 0 = never) without a touch,
 * a click or a key: a result is not left on the screen for the next person. Only where `active`.
 */
export function useIdleReturn(active: boolean): void {
  useEffect(() => {
    if (!active) return;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let ms = 0;
    let gone = false;
    const arm = (): void => {
      if (timer !== null) clearTimeout(timer);
      if (ms > 0 && !gone) timer = setTimeout(kioskReset, ms);
    };
    const events = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart'] as const;
    void kioskSettings().then((k) => {
      if (gone) return;
      ms = Math.max(0, k.kioskIdleMinutes) * 60_000;
      arm();
    });
    for (const e of events) addEventListener(e, arm, { passive: true, capture: true });
    return () => {
      gone = true;
      if (timer !== null) clearTimeout(timer);
      for (const e of events) removeEventListener(e, arm, { capture: true });
    };
  }, [active]);
}

/**
 * Asked when the home link is used during a check: leaving would strand the capture, so the choice is
 * to keep checking (the default) or to stop it — the result then follows as after Stop.
 */
export function StopFirst({ id, onClose }: { id: string; onClose: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const stop = async (): Promise<void> => {
    setBusy(true);
    try {
      await api.stop(id);
      onClose();
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };
  return (
    <div class="modal-back no-print">
      <div class="confirm modal" role="alertdialog" aria-modal="true" aria-labelledby="stop-first-h" aria-describedby="stop-first-p" data-testid="stop-first">
        <h2 id="stop-first-h">{t('ui.kiosk2.lock.title')}</h2>
        <p id="stop-first-p">{t('ui.kiosk2.lock.text')}</p>
        <div class="actions">
          <button type="button" class="primary" onClick={onClose} autoFocus data-testid="keep-checking">{t('ui.kiosk2.lock.keep')}</button>
          <button type="button" class="danger-outline" onClick={() => void stop()} disabled={busy} data-testid="stop-first-stop">{t('ui.kiosk2.lock.stop')}</button>
        </div>
        {error && <Notice kind="error">{error}</Notice>}
      </div>
    </div>
  );
}
