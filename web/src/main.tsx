import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Admin } from './admin/Admin.tsx';
import { UplinkScreen } from './admin/Uplink.tsx';
import { defaultLang, isLang, lang, ready, setLang, t } from './i18n.ts';
import { CheckFlow } from './kiosk/CheckFlow.tsx';
import { Combined } from './kiosk/Combined.tsx';
import { OnScreenKeyboard } from './kiosk/Keyboard.tsx';
import { Result } from './kiosk/Result.tsx';
import { Upload } from './kiosk/Upload.tsx';
import { UsbCheck, UsbStart } from './kiosk/UsbCheck.tsx';
import { Welcome } from './kiosk/Welcome.tsx';
import { navigate, onLink, path, query } from './router.ts';
import { admin, endAdminSession, probeAdmin } from './session.ts';
import { headerTitle, loadHeaderTitle, pickLang, runningCheck, StopFirst } from './ui.tsx';
import './styles.css';

const ID = '([0-9a-f]{32})';

function Screen() {
  const p = path.value;
  let m: RegExpExecArray | null;
  if ((m = new RegExp(`^/check/${ID}$`).exec(p))) return <CheckFlow id={m[1]!} key={m[1]} />;
  if ((m = new RegExp(`^/result/${ID}$`).exec(p))) return <Result id={m[1]!} key={m[1]} />;
  if ((m = new RegExp(`^/usb/${ID}$`).exec(p))) return <UsbCheck id={m[1]!} key={m[1]} />;
  if ((m = new RegExp(`^/both/${ID}/${ID}$`).exec(p))) return <Combined traffic={m[1]!} device={m[2]!} key={p} />;
  if (p === '/usb') return <UsbStart />;
  if (p === '/upload') return <Upload />;
  if (p === '/connection') return <UplinkScreen />;
  if (p === '/admin' || p.startsWith('/admin/')) return <Admin />;
  return <Welcome />;
}

function App() {
  const [, force] = useState(0);
  useEffect(() => {
    const bump = (): void => force((n) => n + 1);
    const offs = [path.subscribe(bump), query.subscribe(bump), lang.subscribe(bump), ready.subscribe(bump), admin.subscribe(bump), headerTitle.subscribe(bump), runningCheck.subscribe(bump)];
    return () => offs.forEach((f) => f());
  }, []);
  const inAdmin = path.value.startsWith('/admin');
  // While a check runs, the home link asks to stop it first instead of leaving it behind.
  const [asking, setAsking] = useState(false);
  const running = runningCheck.value;
  // The browser's own Back (a key, a swipe) is held the same way: the screen returns to the check and asks.
  useEffect(() => {
    const back = (): void => {
      const id = runningCheck.value;
      if (id === null || path.value === `/check/${id}`) return;
      navigate(`/check/${id}`);
      setAsking(true);
    };
    addEventListener('popstate', back);
    return () => removeEventListener('popstate', back);
  }, []);
  const home = (e: MouseEvent): void => {
    if (running === null) return onLink(e);
    e.preventDefault();
    setAsking(true);
  };
  return (
    <>
      <a href="#main" class="skip">{t('ui.skip')}</a>
      <header class="top no-print">
        <a href="/" onClick={home} class="brand" aria-label={t('ui.home')} data-testid="home">
          <svg width="26" height="26" viewBox="0 0 32 32" aria-hidden="true"><circle cx="16" cy="16" r="15" fill="currentColor" /><path d="M9 16.5l4.5 4.5L23 11.5" fill="none" stroke="#fff" stroke-width="3.2" stroke-linecap="round" stroke-linejoin="round" /></svg>
          <span data-testid="header-title">{headerTitle.value}</span>
        </a>
        {/* The kiosk's header is its neutral name only: a screen seen over a shoulder says nothing of spyware. */}
        {inAdmin && <span class="tagline">{t('ui.admin.title')}</span>}
        {/* An admin session left open on the kiosk is visible, and one tap ends it. */}
        {!inAdmin && admin.value && (
          <span class="admin-on" data-testid="admin-on">
            {t('ui.kiosk3.adminOn')}{' '}
            <button type="button" class="secondary small" onClick={() => void endAdminSession()} data-testid="admin-off">
              {t('ui.kiosk3.adminOff')}
            </button>
          </span>
        )}
      </header>
      {asking && running !== null && <StopFirst id={running} onClose={() => setAsking(false)} />}
      <main id="main" key={path.value}>
        <Screen />
      </main>
      <OnScreenKeyboard />
      {!inAdmin && (
        <footer class="foot no-print">
          <span>{t('ui.footer')}</span>
          {running === null && <a href="/admin" onClick={onLink}>{t('ui.admin.link')}</a>}
        </footer>
      )}
    </>
  );
}

async function boot(): Promise<void> {
  const q = new URLSearchParams(location.search).get('lang');
  if (isLang(q)) pickLang(q);
  await setLang(isLang(q) ? q : defaultLang());
  loadHeaderTitle();
  void probeAdmin();
  render(<App />, document.getElementById('app')!);
}
void boot();
