/** The checks history: every check with its result, opening, stopping and deleting them, retention, deleting all. */
import { useEffect, useState } from 'preact/hooks';
import { api, type AllowedHost, type Check } from '../api.ts';
import { fmtBytes, fmtDate, t } from '../i18n.ts';
import { onLink } from '../router.ts';
import { errorText, Notice, Table } from '../ui.tsx';
import { Card, useLoad } from './common.tsx';
import { CombineChecks } from './CombineChecks.tsx';

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

export function Checks() {
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
          <Table testid="checks" heads={[t('ui.admin.checks.when'), t('ui.admin.checks.how'), t('ui.admin.checks.result'), t('ui.admin.checks.size'), <span class="sr-only">{t('ui.admin.checks.actions')}</span>]}>
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
          </Table>
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

