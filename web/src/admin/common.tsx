/** Pieces shared by the admin console's sections and the kiosk's connection screen. */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api.ts';
import { t } from '../i18n.ts';
import { onLink } from '../router.ts';
import { loggedIn, loggedOut } from '../session.ts';
import { errorText, Icon, Notice, Title } from '../ui.tsx';

export function NotYet({ what }: { what: string }) {
  return (
    <div class="not-yet" data-testid="not-available">
      <Icon name="info" size={20} />
      <p>
        <strong>{what}</strong>: {t('ui.admin.notYet')}
      </p>
    </div>
  );
}

/** Loads once (and again on reload()); a 401 ends the session so the login shows. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[] = []): { data: T | null; error: string | null; reload: () => void; set: (d: T) => void } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [n, setN] = useState(0);
  useEffect(() => {
    let live = true;
    load().then(
      (d) => live && (setData(d), setError(null)),
      (e: unknown) => {
        if (!live) return;
        if (e instanceof ApiError && e.status === 401) loggedOut();
        setError(errorText(e));
      },
    );
    return () => {
      live = false;
    };
  }, [n, ...deps]);
  return { data, error, reload: () => setN((x) => x + 1), set: setData };
}

/** An API error as words; a 401 also ends the session. */
export function failText(err: unknown): string {
  if (err instanceof ApiError && err.status === 401) loggedOut();
  if (err instanceof ApiError && err.status === 400 && err.message) return t('ui.admin.refused', { detail: err.message });
  return errorText(err);
}

export function Card({ title, children, id, intro }: { title: string; children: ComponentChildren; id?: string; intro?: string }) {
  return (
    <section class="panel" aria-labelledby={id ? `${id}-h` : undefined} data-card={id}>
      <h2 id={id ? `${id}-h` : undefined}>{title}</h2>
      {intro && <p class="muted small">{intro}</p>}
      {children}
    </section>
  );
}

/** The outcome of a save, read out by screen readers: saved, or why not. */
export function SaveResult({ ok, error, testid }: { ok: string | null; error: string | null; testid?: string }) {
  return (
    <div aria-live="polite" data-testid={testid}>
      {ok && <Notice kind="ok">{ok}</Notice>}
      {error && <Notice kind="error">{error}</Notice>}
    </div>
  );
}

/** The admin login; `lead` says why it is asked (the kiosk's connection screen). */
export function Login({ title, lead, back = true }: { title?: string; lead?: string; back?: boolean }) {
  const [pw, setPw] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const s = await api.login(pw);
      loggedIn(s.csrfToken);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="screen login">
      <Title>{title ?? t('ui.admin.loginTitle')}</Title>
      {lead && <p>{lead}</p>}
      <form onSubmit={(e) => void submit(e)} class="stack narrow">
        <label class="field">
          <span>{t('ui.admin.password')}</span>
          <input type="password" name="password" autoComplete="current-password" value={pw} onInput={(e) => setPw((e.currentTarget as HTMLInputElement).value)} required data-testid="password" />
        </label>
        <button type="submit" class="primary" disabled={busy} data-testid="login">{t('ui.admin.login')}</button>
        {error && <Notice kind="error">{error}</Notice>}
      </form>
      {back && (
        <p>
          <a href="/" onClick={onLink}>{t('ui.admin.toKiosk')}</a>
        </p>
      )}
    </div>
  );
}

export const num = (s: string): number => (s.trim() === '' ? NaN : Number(s));
