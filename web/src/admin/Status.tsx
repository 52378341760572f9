/** The console's first section: the service, the indicator lists' age, the hotspot and the uplink at a glance. */
import { api, call, type Features, type Feed } from '../api.ts';
import { fmtDate, fmtNumber, t } from '../i18n.ts';
import { Notice, Spinner } from '../ui.tsx';
import { Card, NotYet, useLoad } from './common.tsx';
import { StatusExtra } from './StatusExtra.tsx';

function freshness(feeds: Feed[]): { oldest: string | null; days: number | null } {
  const dates = feeds.filter((f) => f.list === 'block' && f.fetchedAt).map((f) => f.fetchedAt!).sort();
  const oldest = dates[0] ?? null;
  return { oldest, days: oldest ? Math.floor((Date.now() - Date.parse(oldest)) / 86_400_000) : null };
}

export function Status({ features }: { features: Features }) {
  const health = useLoad(() => api.health());
  const settings = useLoad(() => api.settings());
  const feeds = useLoad(() => api.feeds());
  const checks = useLoad(() => api.checks());
  const f = feeds.data ? freshness(feeds.data) : null;
  const total = feeds.data?.filter((x) => x.list === 'block').reduce((n, x) => n + x.indicatorCount, 0) ?? 0;
  return (
    <>
      <Card title={t('ui.admin.status.service')} id="svc">
        <dl class="kv">
          <dt>{t('ui.admin.status.version')}</dt>
          <dd>{health.data?.version ?? '…'}</dd>
          <dt>{t('ui.admin.status.interface')}</dt>
          <dd class="mono">{settings.data ? settings.data.interface ?? t('ui.admin.status.noInterface') : '…'}</dd>
          <dt>{t('ui.admin.status.checks')}</dt>
          <dd>{checks.data ? fmtNumber(checks.data.length) : '…'}</dd>
          <dt>{t('ui.admin.status.running')}</dt>
          <dd>{checks.data ? fmtNumber(checks.data.filter((c) => c.state !== 'done' && c.state !== 'failed').length) : '…'}</dd>
        </dl>
      </Card>
      <Card title={t('ui.admin.status.indicators')} id="ind">
        {feeds.data && feeds.data.length === 0 ? (
          <Notice kind="error"><span data-testid="no-block-lists">{t('ui.admin.status.noBlockLists')}</span></Notice>
        ) : (
          <dl class="kv">
            <dt>{t('ui.admin.status.total')}</dt>
            <dd>{feeds.data ? fmtNumber(total) : '…'}</dd>
            <dt>{t('ui.admin.status.oldest')}</dt>
            <dd>
              {f?.oldest ? fmtDate(f.oldest) : '—'}
              {f?.days !== null && f?.days !== undefined && f.days > 7 && <span class="warn-text"> {t('ui.admin.status.old', { count: f.days })}</span>}
            </dd>
          </dl>
        )}
      </Card>
      <Card title={t('ui.admin.hotspot')} id="hs">
        {features.adminHotspot ? <HotspotStatus path={features.adminHotspot} /> : <NotYet what={t('ui.admin.hotspot')} />}
      </Card>
      <Card title={t('ui.admin.uplink')} id="up">
        {features.uplink ? <UplinkStatus path={features.uplink} /> : <NotYet what={t('ui.admin.uplink')} />}
      </Card>
      {features.status ? (
        <StatusExtra />
      ) : (
        <Card title={t('ui.admin.disk')} id="disk">
          <NotYet what={t('ui.admin.disk')} />
        </Card>
      )}
    </>
  );
}

type Json = Record<string, unknown>;
const str = (v: unknown): string => (v === null || v === undefined || v === '' ? '—' : String(v));

/** The hotspot as the API reports it: read-only here; its settings are changed through the API. */
function HotspotStatus({ path: p }: { path: string }) {
  const h = useLoad<Json>(() => call<Json>('GET', p));
  if (h.error) return <Notice kind="error">{h.error}</Notice>;
  if (!h.data) return <Spinner label={t('ui.loading')} />;
  const status = (h.data.status ?? {}) as Json;
  const backend = (h.data.backend ?? {}) as Json;
  const settings = (h.data.settings ?? {}) as Json;
  return (
    <dl class="kv" data-testid="hotspot-status">
      <dt>{t('ui.admin.hotspot.state')}</dt>
      <dd>{str(status.state)}</dd>
      <dt>{t('ui.admin.hotspot.iface')}</dt>
      <dd class="mono">{str(status.iface ?? settings.iface)}</dd>
      <dt>{t('ui.admin.hotspot.backend')}</dt>
      <dd>{str(backend.backend)} {backend.reason ? <span class="muted small">({str(backend.reason)})</span> : null}</dd>
      <dt>{t('ui.admin.hotspot.ssid')}</dt>
      <dd class="mono">{str(status.ssid ?? settings.ssid)}</dd>
    </dl>
  );
}

function UplinkStatus({ path: p }: { path: string }) {
  const u = useLoad<Json>(() => call<Json>('GET', p));
  if (u.error) return <Notice kind="error">{u.error}</Notice>;
  if (!u.data) return <Spinner label={t('ui.loading')} />;
  const route = (u.data.defaultRoute ?? null) as Json | null;
  return (
    <dl class="kv" data-testid="uplink-status">
      <dt>{t('ui.admin.uplink.online')}</dt>
      <dd>{u.data.online === true ? t('ui.yes') : u.data.online === false ? t('ui.no') : '—'}</dd>
      <dt>{t('ui.admin.uplink.route')}</dt>
      <dd class="mono">{route ? `${str(route.iface)} ${route.gateway ? `→ ${str(route.gateway)}` : ''}` : '—'}</dd>
    </dl>
  );
}

