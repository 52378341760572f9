/**
 * "With a USB cable (Android)": how to turn on USB debugging (with Samsung's and Xiaomi's menu names),
 * the phone's state as adb sees it (plug in; tap "Allow" on the phone), the check's progress, and at the
 * end the result — shown only when the worker asks for it — and how to switch USB debugging off again.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, call, type Level } from '../api.ts';
import { guidance } from '../../../src/report/guidance.ts';
import { lang, t } from '../i18n.ts';
import { navigate, onLink } from '../router.ts';
import { errorText, Icon, LEVEL_ICON, Notice, Spinner, Title, useIdleReturn } from '../ui.tsx';
import { GuidanceBlocks } from './Guidance.tsx';
import { paired } from './pairing.ts';

interface Phone {
  serial: string;
  state: string;
  model: string | null;
  advice: string;
}

interface DeviceCheck {
  id: string;
  state: 'collecting' | 'analysing' | 'done' | 'failed';
  progress: { step: string; done: number; total: number } | null;
  level: Level | null;
  partial: boolean;
  error: string | null;
}

interface DeviceReport {
  verdict: { level: Level; summary: string; families: string[]; limits: string[] };
  help?: { contact: string; helplines: string[] };
}

const STEPS = ['props', 'settings', 'services', 'packages', 'launchers', 'hashes', 'certificates', 'root'];

function HowTo() {
  return (
    <section class="usb-howto" aria-labelledby="usb-howto-h">
      <h2 id="usb-howto-h">{t('ui.usb.howHeading')}</h2>
      <ol class="usb-steps">
        <li>{t('ui.usb.how1')}</li>
        <li>{t('ui.usb.how2')}</li>
        <li>{t('ui.usb.how3')}</li>
        <li>{t('ui.usb.how4')}</li>
      </ol>
      <details>
        <summary>{t('ui.usb.samsungHeading')}</summary>
        <p>{t('ui.usb.samsung')}</p>
      </details>
      <details>
        <summary>{t('ui.usb.xiaomiHeading')}</summary>
        <p>{t('ui.usb.xiaomi')}</p>
      </details>
    </section>
  );
}

/** The first screen: instructions and the connected phone's state, polled until it is ready. */
export function UsbStart() {
  const [phones, setPhones] = useState<Phone[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    let live = true;
    const poll = async (): Promise<void> => {
      try {
        const p = await call<Phone[]>('GET', `/api/device/phones?lang=${lang.value}`);
        if (live) setPhones(p);
      } catch (err) {
        if (live) setError(errorText(err));
      }
    };
    void poll();
    const timer = setInterval(() => void poll(), 1500);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, []);
  const ready = phones?.filter((p) => p.state === 'device') ?? [];
  const start = async (serial: string): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const c = await call<DeviceCheck>('POST', '/api/device/checks', { serial, lang: lang.value });
      const traffic = paired('traffic');
      navigate(`/usb/${c.id}${traffic === null ? '' : `?traffic=${traffic}`}`);
    } catch (err) {
      setError(err instanceof ApiError && err.code === 'unauthorized' ? t('ui.usb.allow') : errorText(err));
      setBusy(false);
    }
  };
  return (
    <div class="screen usb">
      <Title>{t('ui.usb.title')}</Title>
      <p class="lead">{t('ui.usb.intro')}</p>
      <HowTo />
      <section class="usb-phone" aria-live="polite" data-testid="usb-phone">
        <h2>{t('ui.usb.phoneHeading')}</h2>
        {phones === null && <Spinner label={t('ui.usb.looking')} />}
        {phones !== null && phones.length === 0 && <Notice>{t('ui.usb.none')}</Notice>}
        {phones?.map((p) =>
          p.state === 'device' ? (
            <div key={p.serial} class="usb-ready">
              <Notice kind="ok">{t('ui.usb.ready', { model: p.model ?? p.serial })}</Notice>
              {ready.length === 1 || ready[0] === p ? (
                <button type="button" class="big primary" disabled={busy} onClick={() => void start(p.serial)} data-testid="usb-start">
                  <Icon name="phone" size={32} />
                  <span>{busy ? t('ui.welcome.starting') : t('ui.usb.start')}</span>
                </button>
              ) : null}
            </div>
          ) : (
            <Notice key={p.serial} kind={p.state === 'unauthorized' ? 'info' : 'error'}>
              <strong>{p.state === 'unauthorized' ? t('ui.usb.allow') : p.advice}</strong>
            </Notice>
          ),
        )}
      </section>
      {error && <Notice kind="error">{error}</Notice>}
      <p class="alt">
        <a href="/" onClick={onLink} class="link-quiet">{t('ui.usb.back')}</a>
      </p>
    </div>
  );
}

/**
 * The same phone checked the other way: its traffic after this USB check, or, when this check followed
 * a traffic check of the phone, both read together (that screen first asks before showing anything).
 */
function BothWays({ device, traffic }: { device: string; traffic: string | null }) {
  return (
    <div class="both-ways" data-testid="both-ways">
      {traffic !== null ? (
        <button type="button" class="big primary" onClick={() => navigate(`/both/${traffic}/${device}`)} data-testid="show-both">
          <span>{t('combine.ui.showBoth')}</span>
        </button>
      ) : (
        <a href={`/?device=${device}`} onClick={onLink} class="button secondary" data-testid="also-traffic">
          {t('combine.ui.alsoTraffic')}
        </a>
      )}
    </div>
  );
}

/** A running or finished device check: progress, then the result on request, then how to finish. */
export function UsbCheck({ id }: { id: string }) {
  const [c, setC] = useState<DeviceCheck | null>(null);
  const [report, setReport] = useState<DeviceReport | null>(null);
  const [show, setShow] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useIdleReturn(c?.state === 'done' || c?.state === 'failed');
  useEffect(() => {
    const es = new EventSource(`/api/device/checks/${id}/events`);
    es.addEventListener('status', (e) => setC(JSON.parse((e as MessageEvent<string>).data) as DeviceCheck));
    es.addEventListener('deleted', () => navigate('/usb'));
    es.onerror = () => es.close();
    return () => es.close();
  }, [id]);
  useEffect(() => {
    if (c?.state !== 'done') return;
    call<DeviceReport>('GET', `/api/device/checks/${id}/report?format=json&lang=${lang.value}`).then(setReport, (err: unknown) => setError(errorText(err)));
  }, [c?.state, id, lang.value]);

  if (c === null) return <Spinner label={t('ui.usb.looking')} />;
  const running = c.state === 'collecting' || c.state === 'analysing';
  const stepIndex = c.progress ? STEPS.indexOf(c.progress.step) : 0;
  const pct = c.state === 'analysing' ? 100 : Math.round(((Math.max(0, stepIndex) + (c.progress && c.progress.total > 0 ? c.progress.done / c.progress.total : 0)) / STEPS.length) * 100);
  return (
    <div class="screen usb">
      <Title>{t('ui.usb.title')}</Title>
      {running && (
        <section aria-live="polite" data-testid="usb-progress">
          <p class="lead" id="usb-step">{c.state === 'analysing' ? t('ui.usb.analysing') : t(`ui.usb.step.${c.progress?.step ?? 'props'}`, { done: c.progress?.done ?? 0, total: c.progress?.total ?? 0 })}</p>
          <div class="bar" role="progressbar" aria-labelledby="usb-step" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
            <span style={{ width: `${pct}%` }} />
          </div>
          <p>{t('ui.usb.keepPlugged')}</p>
        </section>
      )}
      {c.state === 'failed' && <Notice kind="error">{t('ui.usb.failed', { detail: c.error ?? '' })}</Notice>}
      {c.state === 'done' && !show && (
        <section data-testid="usb-finished">
          <Notice kind="ok">{c.partial ? t('ui.usb.finishedPartial') : t('ui.usb.finished')}</Notice>
          <button type="button" class="big primary" onClick={() => setShow(true)} data-testid="usb-show">
            <span>{t('ui.usb.show')}</span>
          </button>
        </section>
      )}
      {c.state === 'done' && show && report && (
        <section data-testid="usb-result">
          <div class={`verdict verdict-${report.verdict.level}`} data-level={report.verdict.level}>
            <Icon name={LEVEL_ICON[report.verdict.level]} size={40} />
            <div>
              <p class="verdict-kicker">{t('ui.result.kicker', { level: t(`level.${report.verdict.level}`) })}</p>
              <h2>{t(`verdict.${report.verdict.level}.headline`)}</h2>
              <p class="verdict-summary">{report.verdict.summary}</p>
            </div>
          </div>
          <p>
            <a class="link-button" href={`/api/device/checks/${id}/report?format=html&lang=${lang.value}`} target="_blank" rel="noopener">
              {t('ui.usb.fullReport')}
            </a>
          </p>
          <GuidanceBlocks blocks={guidance({ level: report.verdict.level, kind: 'device', help: report.help ?? null, limits: report.verdict.limits })} />
        </section>
      )}
      {c.state === 'done' && <BothWays device={id} traffic={paired('traffic')} />}
      {(c.state === 'done' || c.state === 'failed') && (
        <section class="usb-after" data-testid="usb-after">
          <h2>{t('ui.usb.afterHeading')}</h2>
          <ol class="usb-steps">
            <li>{t('ui.usb.after1')}</li>
            <li>{t('ui.usb.after2')}</li>
            <li>{t('ui.usb.after3')}</li>
          </ol>
        </section>
      )}
      {error && <Notice kind="error">{error}</Notice>}
      <p class="alt">
        <a href="/" onClick={onLink} class="link-quiet">{t('ui.usb.done')}</a>
      </p>
    </div>
  );
}
