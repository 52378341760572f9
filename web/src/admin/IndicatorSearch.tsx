/** Searching one indicator in the loaded lists: which list names it, for which family, and whether it is allowed. */
import { useState } from 'preact/hooks';
import { api, ApiError, type Features, type IndicatorMatch } from '../api.ts';
import { t } from '../i18n.ts';
import { loggedOut } from '../session.ts';
import { errorText, Notice, Table } from '../ui.tsx';
import { Card, NotYet } from './common.tsx';

export function IndicatorSearch({ features }: { features: Features }) {
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<IndicatorMatch[] | null>(null);
  const [searchError, setSearchError] = useState<string | null>(null);
  const [searching, setSearching] = useState(false);

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
            <Table heads={[t('ui.admin.feeds.hit.value'), t('ui.admin.feeds.hit.kind'), t('ui.admin.feeds.hit.family'), t('ui.admin.feeds.hit.feed'), t('ui.admin.feeds.hit.source')]}>
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
            </Table>
          )}
        </div>
      )}
    </Card>
  );
}
