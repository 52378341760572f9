/**
 * The admin console: the login, the header, the section tabs and the language; each section is its own
 * file (status, indicator lists, allow-list, checks history, settings, password). Parts the API of this
 * device does not offer yet (hotspot, uplink, indicator search) say so.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, getFeatures, type Features } from '../api.ts';
import { lang, setLang, t } from '../i18n.ts';
import { Result } from '../kiosk/Result.tsx';
import { Combined } from '../kiosk/Combined.tsx';
import { onLink, path } from '../router.ts';
import { admin, loggedOut, probeAdmin } from '../session.ts';
import { LangPicker, Notice, Spinner, Title } from '../ui.tsx';
import { AllowList } from './AllowList.tsx';
import { Checks } from './Checks.tsx';
import { Login } from './common.tsx';
import { Feeds } from './Feeds.tsx';
import { Password } from './Password.tsx';
import { SettingsView } from './Settings.tsx';
import { Status } from './Status.tsx';

const SECTIONS = ['status', 'feeds', 'allow', 'checks', 'settings', 'password'] as const;
type Section = (typeof SECTIONS)[number];

export function Admin() {
  const [checked, setChecked] = useState(false);
  const [features, setFeatures] = useState<Features | null>(null);
  useEffect(() => {
    void probeAdmin().then(() => setChecked(true));
    void getFeatures().then(setFeatures);
  }, []);
  if (!checked || !features) return <div class="screen"><Spinner label={t('ui.loading')} /></div>;
  if (!admin.value) {
    return (
      <>
        {new URLSearchParams(location.search).get('changed') && <Notice kind="ok">{t('ui.admin.pw.changed')}</Notice>}
        <Login />
      </>
    );
  }
  const seg = path.value.split('/')[2] ?? '';
  const section: Section = (SECTIONS as readonly string[]).includes(seg) ? (seg as Section) : 'status';
  // A check's own page: its result, read on the worker's screen rather than the kiosk's.
  const both = section === 'checks' ? /^\/admin\/checks\/both\/([0-9a-f]{32})\/([0-9a-f]{32})$/.exec(path.value) : null;
  const checkId = section === 'checks' ? (/^\/admin\/checks\/([0-9a-f]{32})$/.exec(path.value)?.[1] ?? (both ? 'both' : null)) : null;
  const logout = async (): Promise<void> => {
    await api.logout().catch(() => undefined);
    loggedOut();
  };
  return (
    <div class="screen admin">
      <div class="admin-head">
        <Title>{t('ui.admin.title')}</Title>
        <div class="row">
          <a href="/" onClick={onLink} class="button secondary small">{t('ui.admin.toKiosk')}</a>
          <button type="button" class="secondary small" onClick={() => void logout()} data-testid="logout">{t('ui.admin.logout')}</button>
        </div>
      </div>
      <nav class="tabs" aria-label={t('ui.admin.sections')}>
        {SECTIONS.map((s) => (
          <a key={s} href={`/admin/${s}`} onClick={onLink} class={s === section ? 'tab on' : 'tab'} aria-current={s === section ? 'page' : undefined} data-section={s}>
            {t(`ui.admin.tab.${s}`)}
          </a>
        ))}
      </nav>
      <div class="admin-body">
        {checkId !== null && both === null && <Result id={checkId} adminView key={checkId} />}
        {both !== null && <Combined traffic={both[1]!} device={both[2]!} adminView key={both[0]} />}
        {checkId === null && section === 'status' && <Status features={features} />}
        {checkId === null && section === 'feeds' && <Feeds features={features} />}
        {checkId === null && section === 'allow' && <AllowList />}
        {checkId === null && section === 'checks' && <Checks />}
        {checkId === null && section === 'settings' && <SettingsView features={features} />}
        {checkId === null && section === 'password' && <Password />}
      </div>
      <details class="admin-lang">
        <summary>{t('ui.admin.language')}</summary>
        <LangPicker value={lang.value} onPick={(l) => void setLang(l)} label={t('ui.admin.language')} />
      </details>
    </div>
  );
}

