/** The status page's disk space, storage used by checks, and indicator counts per spyware family. */
import { useState } from 'preact/hooks';
import { api, type AdminStatus } from '../api.ts';
import { fmtBytes, fmtDate, fmtNumber, t } from '../i18n.ts';
import { Notice, Spinner } from '../ui.tsx';
import { Card, useLoad } from './common.tsx';

/** Below this, a long check may not fit: a live capture can take hundreds of MB. */
export const LOW_DISK_BYTES = 1e9;
const TOP = 8;

export function StatusExtra() {
  const s = useLoad(() => api.status());
  const [all, setAll] = useState(false);
  const d = s.data;
  const families = d ? [...d.indicators.families].sort((a, b) => b.count - a.count || a.family.localeCompare(b.family)) : [];
  const shown = all ? families : families.slice(0, TOP);
  const pct = d && d.disk.totalBytes > 0 ? Math.round((d.disk.freeBytes / d.disk.totalBytes) * 100) : null;
  return (
    <>
      {d?.wrongPasswords !== undefined && d.wrongPasswords.count > 0 && (
        <Notice kind="error">
          <span data-testid="wrong-passwords">{t('ui.admin.status.wrongPasswords', { count: d.wrongPasswords.count, last: fmtDate(d.wrongPasswords.last) })}</span>
        </Notice>
      )}
      <Card title={t('ui.admin.disk')} id="disk">
        {s.error && <Notice kind="error">{s.error}</Notice>}
        {!d && !s.error && <Spinner label={t('ui.loading')} />}
        {d && (
          <div data-testid="disk">
            <p>
              <strong data-testid="disk-free">{t('ui.admin.status.diskFree', { free: fmtBytes(d.disk.freeBytes), total: fmtBytes(d.disk.totalBytes) })}</strong>
              {pct !== null && <span class="muted"> ({t('ui.admin.status.diskPct', { pct })})</span>}
            </p>
            <div class="bar meter" role="img" aria-label={t('ui.admin.status.diskUsedPct', { pct: pct === null ? 0 : 100 - pct })}>
              <span style={{ width: `${pct === null ? 0 : 100 - pct}%` }} class={d.disk.freeBytes < LOW_DISK_BYTES ? 'low' : ''} />
            </div>
            {d.disk.freeBytes < LOW_DISK_BYTES ? (
              <Notice kind="error">
                <span data-testid="disk-low">{t('ui.admin.status.diskLow')}</span>
              </Notice>
            ) : d.disk.level !== undefined && d.disk.level !== 'ok' && (d.disk.largestCheckBytes ?? 0) > 0 ? (
              <Notice kind="error">
                <span data-testid="disk-largest">{t('ui.admin.status.diskLargest', { size: fmtBytes(d.disk.largestCheckBytes ?? 0) })}</span>
              </Notice>
            ) : null}
            <dl class="kv">
              <dt>{t('ui.admin.status.diskPath')}</dt>
              <dd class="mono">{d.disk.path}</dd>
              <dt>{t('ui.admin.status.storedChecks')}</dt>
              <dd data-testid="storage">{t('ui.admin.status.storedText', { count: d.storage.checks, size: fmtBytes(d.storage.captureBytes) })}</dd>
              <dt>{t('ui.admin.status.database')}</dt>
              <dd>{fmtBytes(d.storage.databaseBytes)}</dd>
            </dl>
          </div>
        )}
      </Card>
      <Card title={t('ui.admin.status.families')} id="fam">
        {d && (
          <>
            {/* The total and the oldest list are on the card above; the newest update completes them. */}
            <dl class="kv">
              <dt>{t('ui.admin.status.newest')}</dt>
              <dd>{fmtDate(d.indicators.newestUpdate)}</dd>
            </dl>
            {d.indicators.lists && <ListsOverview l={d.indicators.lists} />}
            {families.length === 0 ? (
              <p>{t('ui.admin.status.noFamilies')}</p>
            ) : (
              <>
                <p class="muted small">{t('ui.admin.status.familiesHelp', { count: families.length })}</p>
                <table class="families" data-testid="families">
                  <thead>
                    <tr>
                      <th scope="col">{t('ui.admin.feeds.hit.family')}</th>
                      <th scope="col" class="num">{t('ui.feeds.count')}</th>
                    </tr>
                  </thead>
                  <tbody id="family-rows">
                    {shown.map((f) => (
                      <tr key={f.family} data-testid="family">
                        <td>{f.family || t('ui.admin.status.noFamily')}</td>
                        <td class="num">{fmtNumber(f.count)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                {families.length > TOP && (
                  <button type="button" class="secondary small" aria-expanded={all} aria-controls="family-rows" onClick={() => setAll(!all)} data-testid="families-all">
                    {all ? t('ui.admin.status.showTop', { count: TOP }) : t('ui.admin.status.showAll', { count: families.length })}
                  </button>
                )}
              </>
            )}
          </>
        )}
        {!d && !s.error && <Spinner label={t('ui.loading')} />}
        {s.error && <Notice kind="error">{s.error}</Notice>}
      </Card>
    </>
  );
}

/** What this box has and lacks: a fresh or offline box must say plainly that it cannot recognise spyware servers yet. */
function ListsOverview({ l }: { l: NonNullable<AdminStatus['indicators']['lists']> }) {
  return (
    <div data-testid="lists-overview">
      <dl class="kv">
        <dt>{t('ui.admin.status.blockLists')}</dt>
        <dd>{fmtNumber(l.block)}</dd>
        <dt>{t('ui.admin.status.allowLists')}</dt>
        <dd>{fmtNumber(l.allow)}</dd>
        {l.failing.length > 0 && (
          <>
            <dt>{t('ui.admin.status.failingLists')}</dt>
            <dd class="warn-text break">{l.failing.join(', ')}</dd>
          </>
        )}
        {l.neverLoaded.length > 0 && (
          <>
            <dt>{t('ui.admin.status.neverLoaded')}</dt>
            <dd class="break">{l.neverLoaded.join(', ')}</dd>
          </>
        )}
      </dl>
      {!l.configured && <p class="muted small">{t('ui.admin.status.notChosen')}</p>}
    </div>
  );
}
