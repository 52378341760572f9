/**
 * Both checks of one phone read together: its traffic and its apps and settings. On the kiosk the
 * screen first says only that both checks are finished, and the worker chooses the moment to show the
 * result (or, where the admin set it, reads it elsewhere); the admin console shows it at once. The
 * verdict, the families and their access, each check's own answer, what to do now (from the same
 * guidance list as the HTML and PDF report) and the findings of both, marked with their check.
 */
import { useEffect, useState } from 'preact/hooks';
import { call, type Level } from '../api.ts';
import { guidance } from '../../../src/report/guidance.ts';
import { lang, t } from '../i18n.ts';
import { errorText, Notice, Spinner, Title } from '../ui.tsx';
import { GuidanceBlocks } from './Guidance.tsx';
import { FindingCard, useRevealGate, VerdictBanner, type CardFinding } from './Verdict.tsx';
import { onKiosk } from './UsbSave.tsx';

interface Half {
  level: Level;
  summary: string;
  families: string[];
  limits: string[];
}

type CombinedFinding = CardFinding & { check: 'traffic' | 'device'; canRead?: string | null; weighed?: boolean };

interface CombinedReport {
  verdict: Half & { canRead: { kind: 'family' | 'app'; name: string; text: string }[] };
  checks: { traffic: Half; device: Half };
  findings: CombinedFinding[];
  meta: { language: string; traffic: { help?: unknown } };
}

interface Help {
  help?: { contact: string; helplines: string[] };
}

/** The two check ids in the addresses this screen reads its report from. */
function addresses(traffic: string, device: string, adminView: boolean): { json: () => Promise<CombinedReport & Help>; page: (format: 'html' | 'pdf') => string } {
  const base = `/api${adminView ? '/admin' : ''}/checks/combine/${traffic}/${device}/report`;
  return {
    json: () => call<CombinedReport & Help>('GET', `${base}?format=json&lang=${lang.value}`),
    page: (format) => `${base}?format=${format}&lang=${lang.value}`,
  };
}

export function Combined({ traffic, device, adminView = false }: { traffic: string; device: string; adminView?: boolean }) {
  const { revealed, reveal, elsewhere, done } = useRevealGate(adminView);
  const [report, setReport] = useState<(CombinedReport & Help) | null>(null);
  const [error, setError] = useState<string | null>(null);
  const at = addresses(traffic, device, adminView);

  // The report is asked for only once the worker chose to see it: nothing of it is on the page before.
  useEffect(() => {
    if (!revealed || elsewhere !== false) return;
    let live = true;
    at.json().then(
      (r) => live && setReport(r),
      (err: unknown) => live && setError(errorText(err)),
    );
    return () => {
      live = false;
    };
  }, [revealed, elsewhere, lang.value]);

  if (error && !report) {
    return (
      <div class="screen">
        <Notice kind="error">{error}</Notice>
        <button type="button" class="primary" onClick={done}>{t('ui.startOver')}</button>
      </div>
    );
  }
  if (elsewhere === null) return <div class="screen"><Spinner label={t('ui.loading')} /></div>;
  if (!revealed || elsewhere) {
    return (
      <div class="screen finished" data-testid="combined-finished">
        <Title>{t('combine.ui.finished.title')}</Title>
        <p class="lead">{elsewhere ? t('ui.kiosk2.finished.elsewhere') : t('combine.ui.finished.text')}</p>
        <div class="actions">
          {!elsewhere && (
            <button type="button" class="big primary" onClick={reveal} data-testid="combined-reveal">
              {t('ui.kiosk2.finished.show')}
            </button>
          )}
          <button type="button" class="secondary" onClick={done} data-testid="finish">{t('ui.finish')}</button>
        </div>
      </div>
    );
  }
  if (!report) return <div class="screen"><Spinner label={t('ui.loading')} /></div>;

  const level = report.verdict.level;
  // The meaning read out is that of the check that decided the level.
  const meaning = report.checks.device.level === level ? `device.verdict.${level}.meaning` : `verdict.${level}.meaning`;
  const main = report.findings.filter((f) => f.level !== 'low' && f.weighed !== false);
  const minor = report.findings.filter((f) => f.level === 'low' || f.weighed === false);
  return (
    <div class="screen result combined" data-testid="combined-result">
      <VerdictBanner level={level} summary={report.verdict.summary} families={report.verdict.families} />

      <div class="actions result-actions no-print">
        <a class="button primary" href={at.page('html')} target="_blank" rel="noopener" data-testid="combined-full">{t('ui.usb.fullReport')}</a>
        {/* A kiosk's browser downloads into a profile deleted at exit: the PDF is offered on the worker's own screen only. */}
        {(adminView || !onKiosk()) && (
          <a class="button secondary" href={at.page('pdf')} download={`quietcheck-both-${traffic.slice(0, 8)}.pdf`} data-testid="combined-pdf">{t('ui.result.pdf')}</a>
        )}
        <button type="button" class="secondary" onClick={done} data-testid="finish">{t('ui.finish')}</button>
      </div>

      {report.verdict.canRead.length > 0 && (
        <section aria-labelledby="can-read-h" data-testid="combined-can-read">
          <h2 id="can-read-h">{t('combine.canRead.heading')}</h2>
          {report.verdict.canRead.map((c) => (
            <p key={`${c.kind}-${c.name}`}>
              {c.kind === 'family' ? <strong>{c.name}</strong> : <span class="mono">{c.name}</span>} — {c.text}
            </p>
          ))}
        </section>
      )}

      <section aria-labelledby="halves-h" data-testid="combined-halves">
        <h2 id="halves-h">{t('combine.checks.heading')}</h2>
        {(['device', 'traffic'] as const).map((k) => (
          <div class="half" key={k} data-check={k}>
            <p>
              <strong>{t(`combine.checks.${k}`)}</strong> <span class={`badge badge-${report.checks[k].level}`}>{t(`level.${report.checks[k].level}`)}</span>
            </p>
            <p>{report.checks[k].summary}</p>
          </div>
        ))}
      </section>

      <section aria-labelledby="meaning-h">
        <h2 id="meaning-h">{t('ui.result.meaning')}</h2>
        <p>{t(meaning)}</p>
      </section>

      <GuidanceBlocks blocks={guidance({ level, kind: 'combined', trafficLevel: report.checks.traffic.level, help: report.help ?? null, limits: report.verdict.limits })} />

      <section aria-labelledby="found-h">
        <h2 id="found-h">{t('ui.result.found')}</h2>
        {report.findings.length === 0 ? (
          <p>{t('ui.result.noFindings')}</p>
        ) : (
          <>
            {main.map((f) => <FindingCard f={f} testid="combined-finding" check={f.check} unweighed={f.weighed === false} note={t(f.check === 'device' ? 'combine.checks.device' : 'combine.checks.traffic')} canRead={f.canRead} key={`${f.check}-${f.id}-${f.host}`} />)}
            {minor.length > 0 && (
              <details class="minor">
                <summary>{t('combine.ui.minor', { count: minor.length })}</summary>
                {minor.map((f) => <FindingCard f={f} testid="combined-finding" check={f.check} unweighed={f.weighed === false} note={t(f.check === 'device' ? 'combine.checks.device' : 'combine.checks.traffic')} canRead={f.canRead} key={`${f.check}-${f.id}-${f.host}`} />)}
              </details>
            )}
          </>
        )}
      </section>
    </div>
  );
}
