/**
 * Steps 2 to 4 of a live check, driven by the check's own events: connect the phone (until it is seen),
 * use it normally (time, counters, a sparkline, Stop), then analysing; done moves on to the result.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, follow, getFeatures, type Check } from '../api.ts';
import { fmtBytes, fmtDuration, fmtNumber, isLang, lang, setLang, t } from '../i18n.ts';
import { navigate } from '../router.ts';
import { errorText, Icon, kioskReset, Notice, runningCheck, Spinner, Title } from '../ui.tsx';
import { Hotspot, type HotspotInfo } from './Hotspot.tsx';
import { carryDevice } from './pairing.ts';

/** A Wi-Fi to join, or a cable port (the hotspot's "wired" backend). */
type Joinable = HotspotInfo | { wired: string | null };
import { Sparkline } from './Sparkline.tsx';

export function Steps({ step }: { step: number }) {
  const names = ['ui.step.welcome', 'ui.step.connect', 'ui.step.use', 'ui.step.analyse', 'ui.step.result'];
  return (
    <ol class="steps" aria-label={t('ui.step.label', { step, total: 5 })}>
      {names.map((k, i) => (
        <li key={k} class={i + 1 === step ? 'on' : i + 1 < step ? 'done' : ''} aria-current={i + 1 === step ? 'step' : undefined}>
          <span class="dot" aria-hidden="true">{i + 1}</span>
          <span class="step-name">{t(k)}</span>
        </li>
      ))}
    </ol>
  );
}

/**
 * What the phone joins, from the hotspot's state: a Wi-Fi (name, password) or, on the "wired" backend, a
 * cable port that quietcheck gives an address itself (no name, no password). Null until it is up.
 */
async function loadHotspot(): Promise<Joinable | null> {
  const f = await getFeatures();
  if (!f.hotspot) return null;
  try {
    const r = await fetch(f.hotspot, { headers: { accept: 'application/json' } });
    if (!r.ok) return null;
    const j = (await r.json()) as Record<string, unknown>;
    if (j.state === 'off' || j.state === 'failed') return null;
    if (j.backend === 'wired') return j.state === 'on' ? { wired: typeof j.iface === 'string' ? j.iface : null } : null;
    const ssid = typeof j.ssid === 'string' ? j.ssid : null;
    const pw = typeof j.password === 'string' ? j.password : typeof j.passphrase === 'string' ? j.passphrase : null;
    return ssid ? { ssid, password: pw } : null;
  } catch {
    return null;
  }
}

/** The address the hotspot leased to this MAC, from the hotspot's list of joined devices. */
async function leasedAddress(mac: string): Promise<string | null> {
  const f = await getFeatures();
  if (!f.hotspot) return null;
  try {
    const r = await fetch(f.hotspot, { headers: { accept: 'application/json' } });
    if (!r.ok) return null;
    const j = (await r.json()) as { devices?: unknown; status?: { devices?: unknown } };
    const devices = Array.isArray(j.devices) ? j.devices : Array.isArray(j.status?.devices) ? j.status.devices : [];
    const d = (devices as { mac?: unknown; ip?: unknown }[]).find((x) => typeof x.mac === 'string' && x.mac.toLowerCase() === mac.toLowerCase());
    return typeof d?.ip === 'string' ? d.ip : null;
  } catch {
    return null;
  }
}

/**
 * Who the check sees, in words: the name the phone gave (on quietcheck's hotspot, from its DHCP
 * request) and its address. The unspecified address of a DHCP request (0.0.0.0) is no address to show.
 */
export function deviceLabel(c: Check, leased: string | null): string | null {
  if (!c.live?.deviceSeen && !c.deviceName) return null;
  const usable = (a: string | null | undefined): a is string => typeof a === 'string' && a !== '' && a !== '0.0.0.0' && a !== '::';
  const addr = [leased, c.live?.deviceAddress, c.device].find(usable) ?? null;
  const name = c.deviceName?.trim() || null;
  if (name !== null && addr !== null && addr !== name) return `${name} (${addr})`;
  return name ?? addr;
}

export function CheckFlow({ id }: { id: string }) {
  const [check, setCheck] = useState<Check | null>(null);
  const [gone, setGone] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [stopping, setStopping] = useState(false);
  const [hotspot, setHotspot] = useState<Joinable | null>(null);
  const [leased, setLeased] = useState<string | null>(null);

  // The hotspot (where the check runs one) comes up with the check: asked again until it is on (a Wi-Fi
  // with its name, or the wired backend's cable port), while the phone is still to join.
  const onHotspot = check?.mode === 'hotspot' || check?.mode === 'sinkhole';
  const joining = check?.state === 'created' || check?.state === 'waiting-for-device';
  useEffect(() => {
    if (!onHotspot || !joining) return;
    let live = true;
    let timer = 0;
    const poll = (): void => {
      void loadHotspot().then((h) => {
        if (!live) return;
        setHotspot(h);
        if (h === null) timer = window.setTimeout(poll, 2000);
      });
    };
    void getFeatures().then((f) => f.hotspot && poll());
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [id, onHotspot, joining]);

  useEffect(() => {
    const off = follow(
      id,
      (c) => {
        setCheck(c);
        runningCheck.value = c.state === 'done' || c.state === 'failed' ? null : id;
        if (isLang(c.lang) && c.lang !== lang.value) void setLang(c.lang);
        if (c.state === 'done') navigate(`/result/${id}${carryDevice()}`, true);
      },
      () => {
        runningCheck.value = null;
        setGone(true);
      },
    );
    return () => {
      off();
      if (runningCheck.value === id) runningCheck.value = null;
    };
  }, [id]);

  // On quietcheck's hotspot the device is known by its MAC once it has a lease: its address is the lease's.
  const mac = check?.mode === 'hotspot' || check?.mode === 'sinkhole' ? check.device : null;
  useEffect(() => {
    if (!mac) return;
    let live = true;
    void leasedAddress(mac).then((a) => live && setLeased(a));
    return () => {
      live = false;
    };
  }, [mac, check?.deviceName]);

  // The screen says who joined, so the worker knows it is the right phone. Worked out from each status:
  // on the hotspot the first frame (the phone's DHCP request) comes before the lease that names it.
  const found = check ? deviceLabel(check, leased) : null;

  const stop = async (): Promise<void> => {
    setStopping(true);
    try {
      await api.stop(id);
    } catch (err) {
      setError(errorText(err));
      setStopping(false);
    }
  };

  if (gone) {
    return (
      <div class="screen">
        <Title>{t('ui.deleted.title')}</Title>
        <p>{t('ui.deleted.text')}</p>
        <button type="button" class="primary" onClick={kioskReset}>{t('ui.finish')}</button>
      </div>
    );
  }
  if (check === null) return <div class="screen"><Spinner label={t('ui.loading')} /></div>;

  if (check.state === 'failed') {
    return (
      <div class="screen">
        <Title>{t('ui.failed.title')}</Title>
        <Notice kind="error">{t('ui.failed.text', { detail: check.error ?? '' })}</Notice>
        <button type="button" class="primary" onClick={kioskReset}>{t('ui.startOver')}</button>
      </div>
    );
  }

  if (check.state === 'created' || check.state === 'waiting-for-device') {
    // Waiting and Cancel side by side; with a hotspot, beside its QR code: Cancel stays on an 800×480 screen.
    const waiting = (
      <div class="connect-wait">
        <div class="spinner-wrap" role="status" aria-live="polite">
          <span class="spinner" aria-hidden="true" />
          <span>{t('ui.connect.waiting')}</span>
        </div>
        <button type="button" class="secondary" onClick={() => void stop()} disabled={stopping}>{t('ui.cancel')}</button>
      </div>
    );
    const wifi = hotspot !== null && !('wired' in hotspot) ? hotspot : null;
    return (
      <div class="screen connect">
        <Steps step={2} />
        <Title>{t('ui.connect.title')}</Title>
        {/* With mobile data on, the phone's apps can bypass the Wi-Fi and the check would miss them. */}
        {onHotspot && (
          <p class="mobile-data" data-testid="mobile-data">
            <Icon name="info" size={18} />
            <span>{t('ui.kiosk2.connect.mobileData')}</span>
          </p>
        )}
        {wifi ? (
          <>
            <p class="lead">{t('ui.connect.hotspotIntro')}</p>
            <Hotspot info={wifi}>{waiting}</Hotspot>
          </>
        ) : hotspot !== null && 'wired' in hotspot ? (
          <div class="iface-box" data-testid="wired">
            <Icon name="phone" size={40} />
            <div>
              <p class="lead">{t('ui.connect.wired')}</p>
              {hotspot.wired && <p class="muted">{t('ui.connect.wiredPort', { port: hotspot.wired })}</p>}
            </div>
          </div>
        ) : onHotspot ? null : (
          <div class="iface-box">
            <Icon name="wifi" size={40} />
            <div>
              <p class="lead">{t('ui.connect.noHotspot')}</p>
              <p>
                {t('ui.connect.interface')} <strong class="mono" data-testid="interface">{check.interface ?? '—'}</strong>
              </p>
              <p class="muted">{t('ui.connect.interfaceHelp')}</p>
            </div>
          </div>
        )}
        {!wifi && waiting}
        {error && <Notice kind="error">{error}</Notice>}
      </div>
    );
  }

  if (check.state === 'capturing') {
    const live = check.live;
    const elapsed = live?.elapsedSeconds ?? 0;
    const total = check.durationSeconds;
    const pct = total ? Math.min(100, (elapsed / total) * 100) : null;
    return (
      <div class="screen use">
        <Steps step={3} />
        {/* One line, not a notice box: the Stop button must stay on an 800×480 screen below the counters. */}
        {found && (
          <p class="found" role="status">
            <Icon name="ok" size={18} />
            <span>{t('ui.connect.found')}</span> <strong class="mono" data-testid="device">{found}</strong>
          </p>
        )}
        <Title>{t('ui.use.title')}</Title>
        <p class="lead">{t('ui.use.advice')}</p>
        <div class="time" aria-live="off">
          <span class="elapsed" data-testid="elapsed">{fmtDuration(elapsed)}</span>
          {total ? <span class="of"> {t('ui.use.of', { total: fmtDuration(total) })}</span> : null}
        </div>
        {pct !== null && (
          <div class="bar" role="progressbar" aria-label={t('ui.use.progress')} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(pct)}>
            <span style={{ width: `${pct}%` }} />
          </div>
        )}
        <div class="counters">
          <div class="counter">
            <span class="num" data-testid="bytes">{fmtBytes(live?.bytes ?? check.bytes)}</span>
            <span class="lbl">{t('ui.use.data')}</span>
          </div>
          <div class="counter">
            <span class="num" data-testid="servers">{fmtNumber(live?.servers ?? 0)}</span>
            <span class="lbl">{t('ui.use.servers')}</span>
          </div>
          <div class="counter spark-box">
            <Sparkline points={live?.series ?? []} label={t('ui.use.sparkline')} now={elapsed} />
            <span class="lbl">{t('ui.use.activity')}</span>
          </div>
        </div>
        {/* The footnote beside Stop, not under it: both stay on an 800×480 screen in every language. */}
        <div class="actions stop-row">
          <button type="button" class="big danger" onClick={() => void stop()} disabled={stopping} data-testid="stop">
            <Icon name="stop" size={24} />
            <span>{stopping ? t('ui.use.stopping') : t('ui.use.stop')}</span>
          </button>
          <p class="muted small" data-testid="stop-help">{t('ui.use.stopHelp')}</p>
        </div>
        {error && <Notice kind="error">{error}</Notice>}
      </div>
    );
  }

  return (
    <div class="screen analysing">
      <Steps step={4} />
      <Title>{t('ui.analyse.title')}</Title>
      <div class="bar indeterminate" role="progressbar" aria-label={t('ui.analyse.title')}>
        <span />
      </div>
      <p class="lead">{t('ui.analyse.text')}</p>
    </div>
  );
}
