import { useState } from 'preact/hooks';
import { api, ApiError, FEED_FORMATS, type FeedUpdate } from '../api.ts';
import { t } from '../i18n.ts';
import { loggedOut } from '../session.ts';
import { errorText, Notice } from '../ui.tsx';
import { FeedOutcomes } from './FeedOutcomes.tsx';

/** Add a list by its https address; the outcome (entries loaded, or why not) shows below the form. */
export function AddFeed({ onAdded }: { onAdded: () => void }) {
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

