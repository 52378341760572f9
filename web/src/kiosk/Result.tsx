/**
 * Step 5: the verdict in plain words, what it means, what to do now, the findings as cards, and the
 * actions. The technical appendix is one tap away and closed by default.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, type Check, type Report } from '../api.ts';
import { fmtBytes, fmtDate, fmtDuration, fmtNumber, isLang, lang, setLang, t } from '../i18n.ts';
import { navigate, onLink, query } from '../router.ts';
import { errorText, Icon, kioskReset, Notice, Spinner, Table, Title } from '../ui.tsx';
import { guidance } from '../../../src/report/guidance.ts';
import { Steps } from './CheckFlow.tsx';
import { GuidanceBlocks } from './Guidance.tsx';
import { onKiosk, UsbSave } from './UsbSave.tsx';
import { FindingCard, useRevealGate, VerdictBanner } from './Verdict.tsx';
import { paired } from './pairing.ts';

function Appendix({ report, check, inPlace }: { report: Report; check: Check; inPlace: boolean }) {
  const c = report.meta.capture;
  const facts = report.facts as Record<string, unknown>;
  const count = (k: string): number | null => (Array.isArray(facts[k]) ? (facts[k] as unknown[]).length : null);
  const rows: [string, string][] = [
    [t('ui.appendix.file'), c.name],
    [t('ui.appendix.sha256'), c.sha256],
    [t('ui.appendix.size'), fmtBytes(c.fileBytes)],
    [t('ui.appendix.duration'), fmtDuration(c.durationSeconds)],
    [t('ui.appendix.packets'), fmtNumber(c.packets)],
    [t('ui.appendix.firstLast'), `${fmtDate(c.firstSeen)} – ${fmtDate(c.lastSeen)}`],
    [t('ui.appendix.version'), report.meta.version],
    [t('ui.appendix.made'), fmtDate(report.meta.generatedAt)],
    [t('ui.appendix.source'), check.source === 'live' ? t('ui.appendix.live', { iface: check.interface ?? '—' }) : t('ui.appendix.upload')],
  ];
  for (const k of ['connections', 'dns', 'tls', 'quic', 'http', 'dhcp']) {
    const n = count(k);
    if (n !== null) rows.push([k.toUpperCase() === 'CONNECTIONS' ? t('ui.appendix.connections') : k.toUpperCase(), fmtNumber(n)]);
  }
  return (
    <div class="appendix" id="appendix">
      <p class="muted">{t('ui.appendix.intro')}</p>
      <dl class="kv">
        {rows.map(([k, v]) => (
          <>
            <dt>{k}</dt>
            <dd class="mono">{v}</dd>
          </>
        ))}
      </dl>
      <h3>{t('ui.appendix.feeds')}</h3>
      {report.meta.feeds.length === 0 ? (
        <p>{t('ui.appendix.noFeeds')}</p>
      ) : (
        <Table heads={[t('ui.feeds.name'), t('ui.feeds.kind'), t('ui.feeds.count'), t('ui.feeds.updated')]}>
          {report.meta.feeds.map((f) => (
            <tr key={f.name}>
              <td class="mono">{f.name}</td>
              <td>{f.list === 'allow' ? t('ui.feeds.allow') : t('ui.feeds.block')}</td>
              <td>{fmtNumber(f.indicators)}</td>
              <td>{fmtDate(f.date)}</td>
            </tr>
          ))}
        </Table>
      )}
      {report.allowed.length > 0 && (
        <>
          <h3>{t('ui.appendix.allowed')}</h3>
          <p class="mono small">{report.allowed.map((a) => a.host).join(', ')}</p>
        </>
      )}
      <p>
        {/* On the kiosk in its own window (a full-screen kiosk cannot leave a new tab), with a bar back here. */}
        {inPlace ? (
          <a href={api.reportViewUrl(check.id, lang.value)} data-testid="full-report">{t('ui.appendix.full')}</a>
        ) : (
          <a href={api.reportUrl(check.id, 'html', lang.value)} target="_blank" rel="noopener" data-testid="full-report">
            {t('ui.appendix.full')}
          </a>
        )}
      </p>
    </div>
  );
}

/**
 * The same phone checked the other way: over a USB cable after this traffic check, or, when this check
 * followed a USB check of the phone, both read together.
 */
function BothWays({ traffic, device }: { traffic: string; device: string | null }) {
  return (
    <div class="both-ways no-print" data-testid="both-ways">
      {device !== null ? (
        <button type="button" class="primary" onClick={() => navigate(`/both/${traffic}/${device}`)} data-testid="show-both">
          {t('combine.ui.showBoth')}
        </button>
      ) : (
        <a href={`/usb?traffic=${traffic}`} onClick={onLink} class="button secondary" data-testid="also-usb">
          {t('combine.ui.alsoUsb')}
        </a>
      )}
    </div>
  );
}

/**
 * `adminView`: the admin console's page of the check (the worker's own screen); it shows the result at
 * once and returns to the console's list. On the kiosk the check first says only that it is finished:
 * the worker chooses the moment to show the result — or, where the admin set it, reads it elsewhere.
 */
export function Result({ id, adminView = false }: { id: string; adminView?: boolean }) {
  const [check, setCheck] = useState<Check | null>(null);
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [missing, setMissing] = useState(false);
  const [deleted, setDeleted] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [appendix, setAppendix] = useState(false);
  const [pdfError, setPdfError] = useState<string | null>(null);
  // Coming back from the full report (its bar links here with shown=1): the worker already chose to see it.
  const { revealed, reveal, elsewhere, done } = useRevealGate(adminView, query.value.get('shown') === '1');
  const [usb, setUsb] = useState<'zip' | 'pdf' | null>(null);

  useEffect(() => {
    let live = true;
    void (async () => {
      try {
        const c = await api.check(id);
        if (!live) return;
        if (c.state !== 'done') {
          navigate(`/check/${id}`, true);
          return;
        }
        if (isLang(c.lang)) await setLang(c.lang);
        if (live) setCheck(c);
      } catch (err) {
        if (err instanceof ApiError && err.status === 404) setMissing(true);
        else setError(errorText(err));
      }
    })();
    return () => {
      live = false;
    };
  }, [id]);

  // The report is asked for only once the worker chose to see it: nothing of it is on the page before.
  useEffect(() => {
    if (!revealed || check === null || elsewhere !== false) return;
    let live = true;
    void api.report(id, isLang(check.lang) ? check.lang : lang.value).then(
      (r) => live && setReport(r),
      (err: unknown) => live && setError(errorText(err)),
    );
    return () => {
      live = false;
    };
  }, [revealed, check, elsewhere]);

  // The question comes up below the buttons: on an 800×480 screen it is brought whole into view.
  useEffect(() => {
    if (confirming) document.querySelector('.confirm')?.scrollIntoView({ block: 'nearest' });
  }, [confirming]);

  // Reading it in another language only re-words it: the same check.
  const relang = async (): Promise<void> => {
    if (!check) return;
    try {
      setReport(await api.report(id, lang.value));
    } catch (err) {
      setError(errorText(err));
    }
  };
  useEffect(() => {
    if (report && report.meta.language !== lang.value) void relang();
  }, [lang.value]);

  const remove = async (): Promise<void> => {
    try {
      await api.remove(id);
      setDeleted(true);
    } catch (err) {
      setError(errorText(err));
    }
  };

  const savePdf = async (): Promise<void> => {
    setPdfError(null);
    // A kiosk's browser downloads into a profile deleted at exit: its PDF goes to a USB drive instead.
    if (onKiosk() && !adminView) {
      setUsb('pdf');
      return;
    }
    // Asked first, so a device without Chromium says so instead of opening an error page.
    const url = api.reportUrl(id, 'pdf', lang.value);
    const r = await fetch(url, { method: 'HEAD' }).catch(() => null);
    if (r && !r.ok && r.status !== 405 && r.status !== 404) {
      setPdfError(t('ui.error.pdf'));
      return;
    }
    const a = document.createElement('a');
    a.href = url;
    a.download = `quietcheck-${id.slice(0, 8)}.pdf`;
    document.body.appendChild(a);
    a.click();
    a.remove();
  };

  if (deleted) {
    return (
      <div class="screen">
        <Title>{t('ui.deleted.title')}</Title>
        <Notice kind="ok">{t('ui.deleted.text')}</Notice>
        <button type="button" class="big primary" onClick={done} data-testid="finish">{t('ui.finish')}</button>
      </div>
    );
  }
  if (missing) {
    return (
      <div class="screen">
        <Title>{t('ui.missing.title')}</Title>
        <p>{t('ui.missing.text')}</p>
        <button type="button" class="primary" onClick={kioskReset}>{t('ui.startOver')}</button>
      </div>
    );
  }
  if (error && !report) {
    return (
      <div class="screen">
        <Notice kind="error">{error}</Notice>
        <button type="button" class="primary" onClick={kioskReset}>{t('ui.startOver')}</button>
      </div>
    );
  }
  if (check !== null && elsewhere !== null && (!revealed || elsewhere)) {
    return (
      <div class="screen finished" data-testid="finished">
        {check.source === 'live' && <Steps step={5} />}
        <Title>{t('ui.kiosk2.finished.title')}</Title>
        <p class="lead">{elsewhere ? t('ui.kiosk2.finished.elsewhere') : t('ui.kiosk2.finished.text')}</p>
        <div class="actions">
          {!elsewhere && (
            <button type="button" class="big primary" onClick={reveal} data-testid="reveal">
              {t('ui.kiosk2.finished.show')}
            </button>
          )}
          <button type="button" class="secondary" onClick={done} data-testid="finish">{t('ui.finish')}</button>
        </div>
      </div>
    );
  }
  if (!report || !check) return <div class="screen"><Spinner label={t('ui.loading')} /></div>;

  const level = report.verdict.level;
  const main = report.findings.filter((f) => f.level !== 'low');
  const minor = report.findings.filter((f) => f.level === 'low');
  return (
    <div class="screen result">
      <div class="no-print">{check.source === 'live' && <Steps step={5} />}</div>
      <VerdictBanner level={level} summary={report.verdict.summary} families={report.verdict.families} />

      <div class="actions result-actions no-print">
        <button type="button" class="primary" onClick={() => void savePdf()} data-testid="pdf">{t('ui.result.pdf')}</button>
        <button type="button" class="secondary" onClick={() => setUsb('zip')} data-testid="usb">{t('ui.kiosk2.usb.button')}</button>
        <button type="button" class="secondary" onClick={() => print()}>{t('ui.result.print')}</button>
        <button type="button" class="danger-outline" onClick={() => setConfirming(true)} data-testid="delete">{t('ui.result.delete')}</button>
        <button type="button" class="secondary" onClick={done} data-testid="finish">{t('ui.finish')}</button>
      </div>
      {!adminView && <BothWays traffic={id} device={paired('device')} />}
      {usb !== null && <UsbSave id={id} lang={lang.value} what={usb} key={usb} onClose={() => setUsb(null)} />}
      {pdfError && <Notice kind="error">{pdfError}</Notice>}
      {error && <Notice kind="error">{error}</Notice>}
      {confirming && (
        <div class="confirm no-print" role="alertdialog" aria-labelledby="confirm-h" aria-describedby="confirm-p">
          <h2 id="confirm-h">{t('ui.result.deleteTitle')}</h2>
          <p id="confirm-p">{t('ui.result.deleteText')}</p>
          <div class="actions">
            <button type="button" class="danger" onClick={() => void remove()} data-testid="confirm-delete" autoFocus>{t('ui.result.deleteYes')}</button>
            <button type="button" class="secondary" onClick={() => setConfirming(false)}>{t('ui.cancel')}</button>
          </div>
        </div>
      )}

      <section aria-labelledby="meaning-h">
        <h2 id="meaning-h">{t('ui.result.meaning')}</h2>
        <p>{t(`verdict.${level}.meaning`)}</p>
      </section>

      <GuidanceBlocks blocks={guidance({ level, kind: 'traffic', help: report.help ?? null, limits: report.verdict.limits })} />

      <section aria-labelledby="found-h">
        <h2 id="found-h">{t('ui.result.found')}</h2>
        {report.findings.length === 0 ? (
          <p data-testid="no-findings">{t('ui.result.noFindings')}</p>
        ) : (
          <>
            <p class="muted">{t('ui.result.findingsHelp')}</p>
            {main.map((f, i) => <FindingCard f={f} open={i === 0 && f.level === 'high'} key={`${f.id}-${f.host}`} />)}
            {minor.length > 0 && (
              <details class="minor">
                <summary>{t('ui.result.minor', { count: minor.length })}</summary>
                {minor.map((f) => <FindingCard f={f} key={`${f.id}-${f.host}`} />)}
              </details>
            )}
          </>
        )}
      </section>

      <section class="tech">
        <button type="button" class="secondary" aria-expanded={appendix} aria-controls="appendix" onClick={() => setAppendix(!appendix)} data-testid="appendix">
          <Icon name="chevron" size={18} />
          {appendix ? t('ui.result.hideTech') : t('ui.result.showTech')}
        </button>
        {appendix && <Appendix report={report} check={check} inPlace={!adminView} />}
      </section>
    </div>
  );
}
