/** The allow-list: hosts the service's own results leave out, and what an entry would hide before it is saved. */
import { useState } from 'preact/hooks';
import { api, ApiError, type AllowEntry, type AllowImpact } from '../api.ts';
import { t } from '../i18n.ts';
import { errorText, Notice } from '../ui.tsx';
import { Card, useLoad } from './common.tsx';

export function AllowList() {
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

