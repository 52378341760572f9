/**
 * The admin console: status, indicator lists, allow-list, checks history, settings, password. Parts
 * the API of this device does not offer yet (hotspot, uplink, indicator search) say so.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, call, FEED_FORMATS, getFeatures, type AllowEntry, type AllowImpact, type AllowedHost, type Check, type Features, type Feed, type FeedUpdate, type IndicatorMatch } from '../api.ts';
import { fmtBytes, fmtDate, fmtNumber, lang, setLang, t } from '../i18n.ts';
import { navigate, onLink, path } from '../router.ts';
import { admin, loggedOut, probeAdmin } from '../session.ts';
import { errorText, LangPicker, Notice, Spinner, Title } from '../ui.tsx';
import { Card, Login, NotYet, useLoad } from './common.tsx';
import { SettingsView } from './Settings.tsx';
import { StatusExtra } from './StatusExtra.tsx';
import { Result } from '../kiosk/Result.tsx';
import { Combined } from '../kiosk/Combined.tsx';
import { CombineChecks } from './CombineChecks.tsx';

const SECTIONS = ['status', 'feeds', 'allow', 'checks', 'settings', 'password'] as const;
type Section = (typeof SECTIONS)[number];

function freshness(feeds: Feed[]): { oldest: string | null; days: number | null } {
  const dates = feeds.filter((f) => f.list === 'block' && f.fetchedAt).map((f) => f.fetchedAt!).sort();
  const oldest = dates[0] ?? null;
  return { oldest, days: oldest ? Math.floor((Date.now() - Date.parse(oldest)) / 86_400_000) : null };
}

function Status({ features }: { features: Features }) {
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

function Feeds({ features }: { features: Features }) {
  const feeds = useLoad(() => api.feeds());
  const [updating, setUpdating] = useState(false);
  const [result, setResult] = useState<FeedUpdate[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<IndicatorMatch[] | null>(null);
  const [searchError, setSearchError] = useState<string | null>(null);
  const [searching, setSearching] = useState(false);

  /** `publicLists`: add the public lists first; `accept`: a list whose much smaller new version the admin accepts, having seen both counts. */
  const update = async (publicLists = false, accept?: string): Promise<void> => {
    setUpdating(true);
    setError(null);
    setResult(null);
    try {
      setResult(await (publicLists ? api.addPublicFeeds() : api.updateFeeds(accept !== undefined ? { acceptShrink: [accept], force: true } : undefined)));
      feeds.reload();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setUpdating(false);
    }
  };
  // Removing a list or making it an allow-list changes what every later check reports: asked first.
  const remove = async (name: string): Promise<void> => {
    if (!window.confirm(t('ui.admin.feeds.removeConfirm', { name }))) return;
    setError(null);
    try {
      await api.removeFeed(name);
      feeds.reload();
    } catch (err) {
      setError(errorText(err));
    }
  };
  const setRole = async (name: string, list: 'block' | 'allow'): Promise<void> => {
    if (list === 'allow' && !window.confirm(t('ui.admin.feeds.allowConfirm', { name }))) {
      feeds.reload();
      return;
    }
    setError(null);
    try {
      await api.feedRole(name, list);
      feeds.reload();
    } catch (err) {
      setError(errorText(err));
    }
  };

  const search = async (e: Event): Promise<void> => {
    e.preventDefault();
    const value = q.trim();
    if (!features.search || !value) return;
    setSearching(true);
    setSearchError(null);
    try {
      setHits((await api.searchIndicators(features.search, value.slice(0, 512))).matches);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) loggedOut();
      setHits(null);
      setSearchError(errorText(err));
    } finally {
      setSearching(false);
    }
  };

  return (
    <>
      <Card title={t('ui.admin.feeds.title')} id="feeds">
        <p class="muted">{t('ui.admin.feeds.intro')}</p>
        {feeds.error && <Notice kind="error">{feeds.error}</Notice>}
        {feeds.data && feeds.data.length === 0 && (
          <div class="notice notice-info fresh-box" data-testid="no-lists">
            <p>
              <strong>{t('ui.admin.feeds.none')}</strong>
            </p>
            <p>{t('ui.admin.feeds.freshBox')}</p>
            <button type="button" class="secondary" onClick={() => void update(true)} disabled={updating} data-testid="add-public-lists">
              {t('ui.admin.feeds.addPublic')}
            </button>
          </div>
        )}
        {feeds.data && feeds.data.length > 0 && (
          <div class="table-wrap">
            <table data-testid="feeds">
              <thead>
                <tr>
                  <th scope="col">{t('ui.feeds.name')}</th>
                  <th scope="col">{t('ui.feeds.kind')}</th>
                  <th scope="col">{t('ui.feeds.count')}</th>
                  <th scope="col">{t('ui.feeds.updated')}</th>
                  <th scope="col">{t('ui.feeds.problem')}</th>
                  <th scope="col"><span class="sr-only">{t('ui.admin.checks.actions')}</span></th>
                </tr>
              </thead>
              <tbody>
                {feeds.data.map((f) => (
                  <tr key={f.name}>
                    <td>
                      <span class="mono">{f.name}</span>
                      <br />
                      <span class="muted small break">{f.url}</span>
                    </td>
                    <td>
                      <select
                        value={f.list}
                        onChange={(e) => void setRole(f.name, (e.currentTarget as HTMLSelectElement).value as 'block' | 'allow')}
                        aria-label={t('ui.admin.feeds.roleOf', { name: f.name })}
                        data-testid="feed-role"
                      >
                        <option value="block">{t('ui.feeds.block')}</option>
                        <option value="allow">{t('ui.feeds.allow')}</option>
                      </select>
                    </td>
                    <td>{fmtNumber(f.indicatorCount)}</td>
                    <td>{fmtDate(f.fetchedAt)}</td>
                    <td class={f.lastError ? 'warn-text small break' : 'small'} title={f.lastError ?? undefined}>
                      {f.lastError ? shortError(f.lastError) : '—'}
                    </td>
                    <td>
                      <button type="button" class="danger-outline small" onClick={() => void remove(f.name)} aria-label={t('ui.admin.feeds.removeOne', { name: f.name })} data-testid="remove-feed">
                        {t('ui.admin.allow.remove')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <div class="actions">
          <button type="button" class="primary" onClick={() => void update()} disabled={updating} data-testid="update-feeds">
            {updating ? t('ui.admin.feeds.updating') : t('ui.admin.feeds.update')}
          </button>
        </div>
        {error && <Notice kind="error">{error}</Notice>}
        {result && result.length === 0 && (
          <p data-testid="update-result" aria-live="polite">
            {t('ui.admin.feeds.nothingToUpdate')}
          </p>
        )}
        {result && result.length > 0 && <FeedOutcomes result={result} testid="update-result" onAccept={updating ? undefined : (feed) => void update(false, feed)} />}
      </Card>
      <Card title={t('ui.admin.feeds.search')} id="search">
        {features.search ? (
          <form onSubmit={(e) => void search(e)} class="row" role="search">
            <label class="field grow">
              <span>{t('ui.admin.feeds.searchLabel')}</span>
              <input value={q} maxLength={512} onInput={(e) => setQ((e.currentTarget as HTMLInputElement).value)} required data-testid="search" />
            </label>
            <button type="submit" class="primary" disabled={searching}>{t('ui.admin.feeds.searchGo')}</button>
          </form>
        ) : (
          <NotYet what={t('ui.admin.feeds.search')} />
        )}
        {searchError && <Notice kind="error">{searchError}</Notice>}
        {hits && (
          <div aria-live="polite" data-testid="search-results">
            {hits.length === 0 ? (
              <p>{t('ui.admin.feeds.noHits')}</p>
            ) : (
              <div class="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t('ui.admin.feeds.hit.value')}</th>
                      <th scope="col">{t('ui.admin.feeds.hit.kind')}</th>
                      <th scope="col">{t('ui.admin.feeds.hit.family')}</th>
                      <th scope="col">{t('ui.admin.feeds.hit.feed')}</th>
                      <th scope="col">{t('ui.admin.feeds.hit.source')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {hits.map((h, i) => (
                      <tr key={i} data-testid="search-hit">
                        <td>
                          <span class="mono break">{h.value}</span>
                          {h.allowed && <span class="small muted"> ({t('ui.admin.feeds.hit.allowed')})</span>}
                        </td>
                        <td class="small">{h.kind}{h.tag ? ` · ${h.tag}` : ''}</td>
                        <td data-testid="search-family">{h.family ?? '—'}</td>
                        <td class="small">
                          <span class="mono">{h.feed}</span>
                          {h.feedVersion && <span class="muted"> {h.feedVersion}</span>}
                          <br />
                          {h.list === 'allow' ? t('ui.feeds.allow') : t('ui.feeds.block')}
                        </td>
                        <td class="small muted break">{h.source}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </div>
        )}
      </Card>
      <Card title={t('ui.admin.feeds.add')} id="add">
        {features.addFeed ? <AddFeed onAdded={() => feeds.reload()} /> : <NotYet what={t('ui.admin.feeds.add')} />}
        {!features.addFeed && <p class="muted small">{t('ui.admin.feeds.addHelp')}</p>}
      </Card>
    </>
  );
}

/** Add a list by its https address; the outcome (entries loaded, or why not) shows below the form. */
function AddFeed({ onAdded }: { onAdded: () => void }) {
  const [url, setUrl] = useState('');
  // '' lets the format decide: TinyCheck's whitelist.json is an allow-list by nature.
  const [list, setList] = useState<'' | 'block' | 'allow'>('');
  const [format, setFormat] = useState('');
  const [local, setLocal] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<FeedUpdate[] | null>(null);
  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(await api.addFeed({ url: url.trim(), ...(list ? { list } : {}), ...(format ? { format } : {}), ...(local ? { local } : {}) }));
      setUrl('');
      onAdded();
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) loggedOut();
      setError(err instanceof ApiError && err.status !== 0 && err.code !== 'network' ? t('ui.admin.feeds.addFailed', { detail: err.message }) : errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <p class="muted small">{t('ui.admin.feeds.addIntro')}</p>
      <form onSubmit={(e) => void submit(e)} class="row wrap" data-testid="add-feed">
        <label class="field grow">
          <span>{t('ui.admin.feeds.addUrl')}</span>
          <input type="url" inputMode="url" pattern="[Hh][Tt][Tt][Pp][Ss]://.+" maxLength={2048} value={url} onInput={(e) => setUrl((e.currentTarget as HTMLInputElement).value)} required placeholder="https://" data-testid="add-feed-url" />
        </label>
        <label class="field">
          <span>{t('ui.admin.feeds.addList')}</span>
          <select value={list} onChange={(e) => setList((e.currentTarget as HTMLSelectElement).value as '' | 'block' | 'allow')} data-testid="add-feed-list">
            <option value="">{t('ui.admin.feeds.addListAuto')}</option>
            <option value="block">{t('ui.feeds.block')}</option>
            <option value="allow">{t('ui.feeds.allow')}</option>
          </select>
        </label>
        <label class="field">
          <span>{t('ui.admin.feeds.addFormat')}</span>
          <select value={format} onChange={(e) => setFormat((e.currentTarget as HTMLSelectElement).value)} data-testid="add-feed-format">
            <option value="">{t('ui.admin.feeds.addFormatAuto')}</option>
            {FEED_FORMATS.map((f) => (
              <option key={f} value={f}>{f}</option>
            ))}
          </select>
        </label>
        <label class="check">
          <input type="checkbox" checked={local} onChange={(e) => setLocal((e.currentTarget as HTMLInputElement).checked)} data-testid="add-feed-local" />
          <span>{t('ui.admin.feeds.addLocal')}</span>
        </label>
        <button type="submit" class="primary" disabled={busy} data-testid="add-feed-go">
          {busy ? t('ui.admin.feeds.adding') : t('ui.admin.feeds.addGo')}
        </button>
      </form>
      {error && <Notice kind="error">{error}</Notice>}
      {result && <FeedOutcomes result={result} testid="add-feed-result" />}
    </>
  );
}

function AllowList() {
  const list = useLoad(() => api.allowList());
  const [kind, setKind] = useState<AllowEntry['kind']>('domain');
  const [value, setValue] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  // The server answers 409 when the entry would hide indicators on the loaded lists; the admin sees
  // the families and the indicators and has to confirm before it is saved.
  const [impact, setImpact] = useState<AllowImpact | null>(null);
  const add = async (e: Event | null, confirm = false): Promise<void> => {
    e?.preventDefault();
    setError(null);
    try {
      await api.allow(kind, value, note || undefined, confirm);
      setValue('');
      setNote('');
      setImpact(null);
      list.reload();
    } catch (err) {
      if (err instanceof ApiError && err.status === 409 && err.code === 'hides-indicators') setImpact(err.body as unknown as AllowImpact);
      else setError(errorText(err));
    }
  };
  const remove = async (id: number): Promise<void> => {
    try {
      await api.unallow(id);
      list.reload();
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <Card title={t('ui.admin.allow.title')} id="allow">
      <p class="muted">{t('ui.admin.allow.intro')}</p>
      <form onSubmit={(e) => void add(e)} class="row wrap">
        <label class="field">
          <span>{t('ui.admin.allow.kind')}</span>
          <select value={kind} onChange={(e) => setKind((e.currentTarget as HTMLSelectElement).value as AllowEntry['kind'])}>
            <option value="domain">{t('ui.admin.allow.domain')}</option>
            <option value="ip">{t('ui.admin.allow.ip')}</option>
            <option value="cidr">{t('ui.admin.allow.cidr')}</option>
          </select>
        </label>
        <label class="field grow">
          <span>{t('ui.admin.allow.value')}</span>
          <input value={value} onInput={(e) => setValue((e.currentTarget as HTMLInputElement).value)} required data-testid="allow-value" />
        </label>
        <label class="field grow">
          <span>{t('ui.admin.allow.note')}</span>
          <input value={note} onInput={(e) => setNote((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <button type="submit" class="primary">{t('ui.admin.allow.add')}</button>
      </form>
      {error && <Notice kind="error">{error}</Notice>}
      {impact && (
        <div class="notice notice-error allow-confirm" role="alertdialog" aria-labelledby="allow-confirm-title" data-testid="allow-confirm">
          <p id="allow-confirm-title">
            <strong>
              {impact.families.length > 0
                ? t('ui.admin.allow.hides.family', { value: impact.value, family: impact.families.join(', ') })
                : t('ui.admin.allow.hides', { value: impact.value, count: impact.total })}
            </strong>
          </p>
          <p>{t('ui.admin.allow.hides.explain')}</p>
          <ul class="plain-list small mono" data-testid="allow-hides">
            {impact.hides.slice(0, 10).map((h) => (
              <li key={`${h.value}|${h.kind}|${h.feed}`}>
                {h.value} — {h.kind}
                {h.family ? `, ${h.family}` : ''} — {h.feed}
              </li>
            ))}
            {impact.total > 10 && <li>… {impact.total - 10}</li>}
          </ul>
          <div class="row wrap">
            <button type="button" class="secondary" onClick={() => setImpact(null)} data-testid="allow-cancel">
              {t('ui.admin.allow.hides.cancel')}
            </button>
            <button type="button" class="danger" onClick={() => void add(null, true)} data-testid="allow-confirm-yes">
              {t('ui.admin.allow.hides.confirm', { value: impact.value })}
            </button>
          </div>
        </div>
      )}
      {list.data && list.data.length === 0 && <p>{t('ui.admin.allow.empty')}</p>}
      {list.data && list.data.length > 0 && (
        <ul class="plain-list" data-testid="allow-list">
          {list.data.map((a) => (
            <li key={a.id}>
              <span class="mono">{a.value}</span> <span class="muted small">({t(`ui.admin.allow.${a.kind}`)}{a.note ? ` — ${a.note}` : ''})</span>
              <button type="button" class="secondary small" onClick={() => void remove(a.id)} aria-label={t('ui.admin.allow.removeOne', { value: a.value })}>
                {t('ui.admin.allow.remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

/** What an allow-list kept out of one check's result although a feed lists it, with the family. */
function HiddenByAllow({ id }: { id: string }) {
  const [hidden, setHidden] = useState<AllowedHost[] | null>(null);
  useEffect(() => {
    let live = true;
    api.hidden(id).then(
      (h) => live && setHidden(h),
      () => live && setHidden([]),
    );
    return () => {
      live = false;
    };
  }, [id]);
  if (!hidden || hidden.length === 0) return null;
  return (
    <div class="hidden-by-allow small" data-testid="hidden-by-allow">
      {hidden.map((h) => (
        <p key={h.host}>
          <span class={`badge badge-${h.level ?? 'low'}`}>{t('ui.admin.checks.hidden', { level: t(`level.${h.level ?? 'low'}`) })}</span>{' '}
          {h.families.length > 0 ? h.families.join(', ') : ''} <span class="mono">{h.host}</span>{' '}
          <span class="muted">{t('ui.admin.checks.hiddenBy', { value: h.allowedBy.value })}</span>
        </p>
      ))}
    </div>
  );
}

function Checks() {
  const checks = useLoad(() => api.checks());
  const settings = useLoad(() => api.settings());
  const [days, setDays] = useState<string>('');
  const [confirm, setConfirm] = useState('');
  const [msg, setMsg] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (settings.data) setDays(String(settings.data.retentionDays));
  }, [settings.data]);

  const remove = async (c: Check): Promise<void> => {
    if (!window.confirm(t('ui.admin.checks.confirmOne'))) return;
    try {
      await api.remove(c.id);
      checks.reload();
      setMsg(t('ui.admin.checks.deleted'));
    } catch (err) {
      setError(errorText(err));
    }
  };
  const stop = async (c: Check): Promise<void> => {
    try {
      setMsg(t('ui.kiosk2.admin.stopping'));
      await api.stop(c.id);
      checks.reload();
      setMsg(t('ui.kiosk2.admin.stopped'));
    } catch (err) {
      setError(errorText(err));
    }
  };
  const saveRetention = async (e: Event): Promise<void> => {
    e.preventDefault();
    try {
      await api.saveSettings(Number(days));
      settings.reload();
      checks.reload();
      setMsg(t('ui.admin.saved'));
    } catch (err) {
      setError(errorText(err));
    }
  };
  const deleteAll = async (e: Event): Promise<void> => {
    e.preventDefault();
    try {
      const r = await api.deleteAll();
      setConfirm('');
      checks.reload();
      setMsg(t('ui.admin.checks.deletedAll', { count: r.deleted }));
    } catch (err) {
      setError(errorText(err));
    }
  };
  const phrase = t('ui.admin.checks.phrase');
  return (
    <>
      <Card title={t('ui.admin.checks.title')} id="checks">
        {msg && <Notice kind="ok">{msg}</Notice>}
        {error && <Notice kind="error">{error}</Notice>}
        {checks.data && checks.data.length === 0 && <p data-testid="no-checks">{t('ui.admin.checks.none')}</p>}
        {checks.data && checks.data.length > 0 && (
          <div class="table-wrap">
            <table data-testid="checks">
              <thead>
                <tr>
                  <th scope="col">{t('ui.admin.checks.when')}</th>
                  <th scope="col">{t('ui.admin.checks.how')}</th>
                  <th scope="col">{t('ui.admin.checks.result')}</th>
                  <th scope="col">{t('ui.admin.checks.size')}</th>
                  <th scope="col"><span class="sr-only">{t('ui.admin.checks.actions')}</span></th>
                </tr>
              </thead>
              <tbody>
                {checks.data.map((c) => (
                  <tr key={c.id} data-check={c.id}>
                    <td>{fmtDate(c.createdAt)}</td>
                    <td>
                      {c.source === 'live'
                        ? t('ui.admin.checks.live', { iface: c.interface ?? '—' })
                        : c.source === 'device'
                          ? t('ui.admin.checks.device', { serial: c.device ?? '—' })
                          : t('ui.admin.checks.upload')}
                    </td>
                    <td>
                      {c.result ? (
                        <span class={`badge badge-${c.result.level}`}>{t(`level.${c.result.level}`)}</span>
                      ) : (
                        <span>{t(`ui.state.${c.state}`)}</span>
                      )}
                      {c.result && c.result.families.length > 0 && <span class="small"> {c.result.families.join(', ')}</span>}
                      {c.state === 'done' && c.source !== 'device' && <HiddenByAllow id={c.id} />}
                    </td>
                    <td>{c.source === 'device' ? '—' : fmtBytes(c.bytes)}</td>
                    <td class="row-actions">
                      {/* A running check stays reachable: its screen on this browser, or stopped from here. */}
                      {c.source === 'live' && c.state !== 'done' && c.state !== 'failed' && (
                        <>
                          <a href={`/check/${c.id}`} onClick={onLink} class="button secondary small" data-testid="open-running">{t('ui.admin.checks.open')}</a>
                          {c.state !== 'analysing' && (
                            <button type="button" class="secondary small" onClick={() => void stop(c)} data-testid="stop-check">{t('ui.kiosk2.admin.stop')}</button>
                          )}
                        </>
                      )}
                      {c.state === 'done' && c.source !== 'device' && (
                        <a href={`/admin/checks/${c.id}`} onClick={onLink} class="button secondary small">{t('ui.admin.checks.open')}</a>
                      )}
                      {/* The device report is its own page, served whole (it is the same HTML as the kiosk's and the export's). */}
                      {c.state === 'done' && c.source === 'device' && (
                        <a href={`/api/admin/device-checks/${c.id}/report`} target="_blank" rel="noopener" class="button secondary small" data-testid="open-device-report">
                          {t('ui.admin.checks.open')}
                        </a>
                      )}
                      <button type="button" class="danger-outline small" onClick={() => void remove(c)} data-testid="delete-check">{t('ui.admin.checks.delete')}</button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
      {checks.data && <CombineChecks checks={checks.data} />}
      <Card title={t('ui.admin.checks.retention')} id="ret">
        <form onSubmit={(e) => void saveRetention(e)} class="row">
          <label class="field">
            <span>{t('ui.admin.checks.retentionLabel')}</span>
            <input type="number" min={0} max={36500} value={days} onInput={(e) => setDays((e.currentTarget as HTMLInputElement).value)} data-testid="retention" />
          </label>
          <button type="submit" class="primary">{t('ui.admin.save')}</button>
        </form>
        <p class="muted small">{t('ui.admin.checks.retentionHelp')}</p>
      </Card>
      <Card title={t('ui.admin.checks.all')} id="all">
        <p>{t('ui.admin.checks.allText')}</p>
        <form onSubmit={(e) => void deleteAll(e)} class="row wrap">
          <label class="field grow">
            <span>{t('ui.admin.checks.typePhrase', { phrase })}</span>
            <input value={confirm} onInput={(e) => setConfirm((e.currentTarget as HTMLInputElement).value)} data-testid="delete-all-confirm" />
          </label>
          <button type="submit" class="danger" disabled={confirm.trim().toLowerCase() !== phrase.toLowerCase()} data-testid="delete-all">
            {t('ui.admin.checks.allButton')}
          </button>
        </form>
      </Card>
    </>
  );
}

function Password() {
  const [cur, setCur] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    if (next !== again) {
      setError(t('ui.admin.pw.mismatch'));
      return;
    }
    try {
      await api.password(cur, next);
      loggedOut();
      navigate('/admin?changed=1', true);
    } catch (err) {
      setError(errorText(err));
    }
  };
  const field = (label: string, v: string, set: (s: string) => void, ac: string) => (
    <label class="field">
      <span>{label}</span>
      <input type="password" value={v} autoComplete={ac} onInput={(e) => set((e.currentTarget as HTMLInputElement).value)} required />
    </label>
  );
  return (
    <Card title={t('ui.admin.pw.title')} id="pw">
      <form onSubmit={(e) => void submit(e)} class="stack narrow">
        {field(t('ui.admin.pw.current'), cur, setCur, 'current-password')}
        {field(t('ui.admin.pw.next'), next, setNext, 'new-password')}
        {field(t('ui.admin.pw.again'), again, setAgain, 'new-password')}
        <p class="muted small">{t('ui.admin.pw.help')}</p>
        <button type="submit" class="primary">{t('ui.admin.pw.change')}</button>
        {error && <Notice kind="error">{error}</Notice>}
      </form>
    </Card>
  );
}

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

/** What an update or an added list did, one line per feed (a failed feed says why and keeps its old set). */
/**
 * A feed error in a line or two: the full text (addresses, HTTP details) stays in the tooltip and in
 * "quietcheck indicators list", so a failing offline box does not stretch the page with URLs.
 */
export function shortError(e: string): string {
  const plain = e.replace(/https?:\/\/\S+/g, (u) => {
    try {
      return new URL(u).host;
    } catch {
      return u.slice(0, 40);
    }
  });
  return plain.length > 140 ? `${plain.slice(0, 139)}…` : plain;
}

function FeedOutcomes({ result, testid, onAccept }: { result: FeedUpdate[]; testid: string; onAccept?: (feed: string) => void }) {
  return (
    <ul class="update-result" data-testid={testid} aria-live="polite">
      {result.map((r) => (
        <li key={r.feed} class={r.status === 'failed' ? 'warn-text break' : 'break'} title={r.error ?? undefined}>
          <span class="mono">{r.feed}</span>: {t(`ui.admin.feeds.status.${r.status}`, { count: r.indicators })}
          {r.error ? ` — ${shortError(r.error)}` : ''}
          {r.forced && ` — ${t('ui.admin.feeds.shrinkAccepted', { previous: r.previousCount ?? 0 })}`}
          {r.shrinkRefused && onAccept && (
            <div>
              <button type="button" class="secondary" onClick={() => onAccept(r.feed)} data-testid="accept-shrink">
                {t('ui.admin.feeds.acceptShrink', { offered: r.offeredCount ?? 0, previous: r.previousCount ?? 0 })}
              </button>
            </div>
          )}
        </li>
      ))}
    </ul>
  );
}
