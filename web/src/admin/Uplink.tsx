/**
 * The internet connection (uplink): what is in use now, Ethernet, or a Wi-Fi network to join (scan,
 * signal, secured or open, password). In the admin console's settings, and on the kiosk behind the
 * admin login before a check, as TinyCheck offers it.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, type Uplinks, type UplinkStatus, type WifiNetwork } from '../api.ts';
import { t } from '../i18n.ts';
import { navigate } from '../router.ts';
import { admin, loggedOut, probeAdmin } from '../session.ts';
import { Icon, Notice, Spinner, Title } from '../ui.tsx';
import { failText, Login, SaveResult, useLoad } from './common.tsx';

/** A password field with a show/hide toggle that screen readers announce. */
export function PasswordInput(p: { id: string; label: string; value: string; onInput: (v: string) => void; help?: string; minLength?: number; autoComplete?: string; testid?: string }) {
  const [show, setShow] = useState(false);
  return (
    <div class="field">
      <label for={p.id}>
        <span>{p.label}</span>
      </label>
      <div class="pw-row">
        <input
          id={p.id}
          // Preact's types tie the attributes to one input type; the field switches between two.
          type={(show ? 'text' : 'password') as 'password'}
          value={p.value}
          minLength={p.minLength}
          maxLength={63}
          autoComplete={p.autoComplete ?? 'off'}
          spellcheck={false}
          autoCapitalize="off"
          onInput={(e) => p.onInput((e.currentTarget as HTMLInputElement).value)}
          aria-describedby={p.help ? `${p.id}-help` : undefined}
          data-testid={p.testid ?? p.id}
        />
        <button type="button" class="secondary small" aria-pressed={show} aria-controls={p.id} onClick={() => setShow(!show)} data-testid={`${p.id}-show`}>
          {show ? t('ui.admin.up.hide') : t('ui.admin.up.show')}
        </button>
      </div>
      {p.help && <small id={`${p.id}-help`} class="help">{p.help}</small>}
    </div>
  );
}

/** 0–4 bars from a 0–100 signal; the words go to screen readers. */
function Bars({ signal }: { signal: number }) {
  const n = signal >= 75 ? 4 : signal >= 50 ? 3 : signal >= 25 ? 2 : signal > 0 ? 1 : 0;
  const word = ['none', 'weak', 'fair', 'good', 'strong'][n]!;
  return (
    <span class="bars" title={t(`ui.admin.up.signal.${word}`)}>
      <svg width="22" height="18" viewBox="0 0 22 18" aria-hidden="true" focusable="false">
        {[0, 1, 2, 3].map((i) => (
          <rect key={i} x={i * 6} y={14 - i * 4} width="4" height={4 + i * 4} rx="1" fill={i < n ? 'currentColor' : '#c9cfd8'} />
        ))}
      </svg>
      <span class="sr-only">{t('ui.admin.up.signalSr', { level: t(`ui.admin.up.signal.${word}`), pct: signal })}</span>
    </span>
  );
}

const secured = (n: WifiNetwork): boolean => n.security !== '' && !/^(open|none|--)$/i.test(n.security);

function Current({ st, up }: { st: UplinkStatus | null; up: Uplinks | null }) {
  if (!st) return <Spinner label={t('ui.loading')} />;
  const route = st.defaultRoute;
  const wifi = route ? up?.wifiAdapters.find((a) => a.iface === route.iface) ?? st.devices.find((d) => d.device === route.iface && d.type === 'wifi') : undefined;
  const conn = wifi ? ('connection' in wifi ? wifi.connection : null) : null;
  let text: string;
  if (!route) text = t('ui.admin.up.none');
  else if (wifi) text = t('ui.admin.up.viaWifi', { ssid: conn ?? '—', iface: route.iface });
  else text = t('ui.admin.up.viaCable', { iface: route.iface });
  return (
    <div class="uplink-now" data-testid="uplink-now">
      <Notice kind={st.online ? 'ok' : route ? 'info' : 'error'}>
        <strong>{st.online ? t('ui.admin.up.online') : t('ui.admin.up.offline')}</strong> {text}
      </Notice>
    </div>
  );
}

export function UplinkCard() {
  const st = useLoad(() => api.uplinkStatus());
  const up = useLoad(() => api.uplinks(false));
  const [scanning, setScanning] = useState(false);
  const [scanError, setScanError] = useState<string | null>(null);
  const [scanned, setScanned] = useState(false);
  const [pick, setPick] = useState<WifiNetwork | null>(null);
  const [adapter, setAdapter] = useState('');
  const [pw, setPw] = useState('');
  const [joining, setJoining] = useState(false);
  const [ok, setOk] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const adapters = up.data?.wifiAdapters ?? [];
  useEffect(() => {
    if (!adapter && adapters[0]) setAdapter(adapters[0].iface);
  }, [up.data]);

  const scan = async (): Promise<void> => {
    setScanning(true);
    setScanError(null);
    try {
      up.set(await api.uplinks(true));
      setScanned(true);
    } catch (err) {
      setScanError(failText(err));
    } finally {
      setScanning(false);
    }
  };

  const join = async (e: Event): Promise<void> => {
    e.preventDefault();
    if (!pick) return;
    setOk(null);
    setError(null);
    const iface = pick.device ?? adapter;
    if (!iface) return setError(t('ui.admin.up.noAdapter'));
    if (secured(pick) && (pw.length < 8 || pw.length > 63)) return setError(t('ui.admin.up.pwLength'));
    setJoining(true);
    try {
      const r = await api.joinWifi({ iface, ssid: pick.ssid, ...(secured(pick) ? { password: pw } : {}) });
      setOk(t('ui.admin.up.joined', { ssid: r.ssid, iface: r.iface }));
      setPw('');
      st.reload();
      up.reload();
    } catch (err) {
      setError(err instanceof ApiError && err.status === 400 && err.message ? t('ui.admin.up.failed', { detail: err.message }) : failText(err));
    } finally {
      setJoining(false);
    }
  };

  const nets = [...(up.data?.wifiNetworks ?? [])].sort((a, b) => Number(b.inUse) - Number(a.inUse) || b.signal - a.signal);
  return (
    <div class="uplink" data-testid="uplink">
      {st.error && <Notice kind="error">{st.error}</Notice>}
      {!st.error && <Current st={st.data} up={up.data} />}
      {up.error && <Notice kind="error">{up.error}</Notice>}
      {up.data && up.data.ethernet.length > 0 && (
        <>
          <h3>{t('ui.admin.up.ethernet')}</h3>
          <ul class="plain-list" data-testid="ethernet">
            {up.data.ethernet.map((e) => (
              <li key={e.iface}>
                <span class="mono">{e.iface}</span>
                <span>{e.carrier ? t('ui.admin.up.cable') : t('ui.admin.up.noCable')}</span>
                {e.isDefault && <span class="badge badge-none">{t('ui.admin.up.inUse')}</span>}
                {e.addresses.length > 0 && <span class="muted small mono">{e.addresses.join(', ')}</span>}
              </li>
            ))}
          </ul>
        </>
      )}
      <h3>{t('ui.admin.up.wifi')}</h3>
      {up.data && adapters.length === 0 && <p class="muted" data-testid="no-adapters">{t('ui.admin.up.noAdapters')}</p>}
      {(!up.data || adapters.length > 0) && (
        <div class="actions">
          <button type="button" class="secondary" onClick={() => void scan()} disabled={scanning || !up.data} data-testid="scan">
            <Icon name="wifi" size={20} />
            {scanning ? t('ui.admin.up.scanning') : t('ui.admin.up.scan')}
          </button>
        </div>
      )}
      {scanError && <Notice kind="error">{scanError}</Notice>}
      {scanned && nets.length === 0 && <p data-testid="no-networks">{t('ui.admin.up.noNetworks')}</p>}
      {nets.length > 0 && (
        <fieldset class="nets">
          <legend class="sr-only">{t('ui.admin.up.pick')}</legend>
          {nets.map((n, i) => (
            <label key={`${n.ssid}-${n.bssid ?? i}`} class={pick === n ? 'net on' : 'net'} data-testid="network">
              <input type="radio" name="uplink-net" checked={pick === n} onChange={() => (setPick(n), setOk(null), setError(null))} />
              <Bars signal={n.signal} />
              <span class="net-name">{n.ssid || t('ui.admin.up.hidden')}</span>
              {secured(n) ? (
                <span class="net-lock" title={n.security}>
                  <Icon name="lock" size={16} />
                  <span class="sr-only">{t('ui.admin.up.secured', { kind: n.security })}</span>
                </span>
              ) : (
                <span class="small muted">{t('ui.admin.up.open')}</span>
              )}
              {n.inUse && <span class="badge badge-none">{t('ui.admin.up.inUse')}</span>}
            </label>
          ))}
        </fieldset>
      )}
      {scanned && nets.length > 0 && <p class="muted small" aria-live="polite">{t('ui.admin.up.found', { count: nets.length })}</p>}
      {pick && (
        <form class="stack join" onSubmit={(e) => void join(e)} data-testid="join-form">
          <p>
            <strong>{t('ui.admin.up.joinTitle', { ssid: pick.ssid })}</strong>
            {!secured(pick) && <span class="muted small"> {t('ui.admin.up.openWarn')}</span>}
          </p>
          {!pick.device && adapters.length > 1 && (
            <label class="field narrow">
              <span>{t('ui.admin.up.adapter')}</span>
              <select value={adapter} onChange={(e) => setAdapter((e.currentTarget as HTMLSelectElement).value)}>
                {adapters.map((a) => (
                  <option key={a.iface} value={a.iface}>{a.iface}</option>
                ))}
              </select>
            </label>
          )}
          {secured(pick) && (
            <div class="narrow">
              <PasswordInput id="uplink-pw" label={t('ui.admin.up.password')} value={pw} onInput={setPw} minLength={8} help={t('ui.admin.up.pwHelp')} />
            </div>
          )}
          <div>
            <button type="submit" class="primary" disabled={joining} data-testid="join">
              {joining ? t('ui.admin.up.joining') : t('ui.admin.up.join')}
            </button>
          </div>
        </form>
      )}
      <SaveResult ok={ok} error={error} testid="join-result" />
      {/* The server's own notes (why no network can be joined…), unless the sentence above already says it. */}
      {up.data && up.data.notes.length > 0 && adapters.length > 0 && (
        <ul class="muted small">
          {up.data.notes.map((n, i) => (
            <li key={i}>{n}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/**
 * The kiosk's "Internet connection" screen: the admin logs in here, sets the connection, and "Done"
 * logs out again (when the login was made here), so the next person at the kiosk is not an admin.
 */
export function UplinkScreen() {
  const [checked, setChecked] = useState(false);
  const [wasAdmin, setWasAdmin] = useState(false);
  useEffect(() => {
    void probeAdmin(true).then((a) => {
      setWasAdmin(a);
      setChecked(true);
    });
  }, []);
  if (!checked) return <div class="screen"><Spinner label={t('ui.loading')} /></div>;
  if (!admin.value) return <Login title={t('ui.admin.uplink')} lead={t('ui.kiosk.uplinkLogin')} />;
  const done = async (): Promise<void> => {
    if (!wasAdmin) {
      await api.logout().catch(() => undefined);
      loggedOut();
    }
    navigate('/');
  };
  return (
    <div class="screen connection">
      <Title>{t('ui.admin.uplink')}</Title>
      <UplinkCard />
      <div class="actions">
        <button type="button" class="primary" onClick={() => void done()} data-testid="uplink-done">{t('ui.kiosk.uplinkDone')}</button>
      </div>
    </div>
  );
}
