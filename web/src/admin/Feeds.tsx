/** The indicator lists: what is loaded, updating them, removing one or making it an allow-list, searching and adding one. */
import { useState } from 'preact/hooks';
import { api, type Features, type FeedUpdate } from '../api.ts';
import { fmtDate, fmtNumber, t } from '../i18n.ts';
import { errorText, Notice, Table } from '../ui.tsx';
import { AddFeed } from './AddFeed.tsx';
import { Card, NotYet, useLoad } from './common.tsx';
import { FeedOutcomes, shortError } from './FeedOutcomes.tsx';
import { IndicatorSearch } from './IndicatorSearch.tsx';

export function Feeds({ features }: { features: Features }) {
  const feeds = useLoad(() => api.feeds());
  const [updating, setUpdating] = useState(false);
  const [result, setResult] = useState<FeedUpdate[] | null>(null);
  const [error, setError] = useState<string | null>(null);
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
          <Table testid="feeds" heads={[t('ui.feeds.name'), t('ui.feeds.kind'), t('ui.feeds.count'), t('ui.feeds.updated'), t('ui.feeds.problem'), <span class="sr-only">{t('ui.admin.checks.actions')}</span>]}>
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
          </Table>
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
      <IndicatorSearch features={features} />
      <Card title={t('ui.admin.feeds.add')} id="add">
        {features.addFeed ? <AddFeed onAdded={() => feeds.reload()} /> : <NotYet what={t('ui.admin.feeds.add')} />}
        {!features.addFeed && <p class="muted small">{t('ui.admin.feeds.addHelp')}</p>}
      </Card>
    </>
  );
}

