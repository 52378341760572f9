/**
 * In the checks history: pick a finished traffic check and a finished device check of the same phone
 * and read them as one result (the console's page of the combined report).
 */
import { useState } from 'preact/hooks';
import type { Check } from '../api.ts';
import { fmtDate, t } from '../i18n.ts';
import { navigate } from '../router.ts';
import { Card } from './common.tsx';

export function CombineChecks({ checks }: { checks: readonly Check[] }) {
  const traffic = checks.filter((c) => c.state === 'done' && c.source !== 'device');
  const device = checks.filter((c) => c.state === 'done' && c.source === 'device');
  const [tid, setTid] = useState('');
  const [did, setDid] = useState('');
  if (traffic.length === 0 || device.length === 0) return null;
  const pick = tid || traffic[0]!.id;
  const pickDevice = did || device[0]!.id;
  const label = (c: Check): string =>
    `${fmtDate(c.createdAt)} — ${c.source === 'device' ? t('ui.admin.checks.device', { serial: c.device ?? '—' }) : c.source === 'live' ? t('ui.admin.checks.live', { iface: c.interface ?? '—' }) : t('ui.admin.checks.upload')}`;
  const open = (e: Event): void => {
    e.preventDefault();
    navigate(`/admin/checks/both/${pick}/${pickDevice}`);
  };
  return (
    <Card title={t('combine.ui.admin.title')} id="combine">
      <p>{t('combine.ui.admin.intro')}</p>
      <form onSubmit={open} class="combine-form" data-testid="combine-form">
        <label class="field">
          <span>{t('combine.ui.admin.traffic')}</span>
          <select value={pick} onChange={(e) => setTid((e.currentTarget as HTMLSelectElement).value)} data-testid="combine-traffic">
            {traffic.map((c) => (
              <option key={c.id} value={c.id}>{label(c)}</option>
            ))}
          </select>
        </label>
        <label class="field">
          <span>{t('combine.ui.admin.device')}</span>
          <select value={pickDevice} onChange={(e) => setDid((e.currentTarget as HTMLSelectElement).value)} data-testid="combine-device">
            {device.map((c) => (
              <option key={c.id} value={c.id}>{label(c)}</option>
            ))}
          </select>
        </label>
        <button type="submit" class="primary" data-testid="combine-open">{t('combine.ui.admin.open')}</button>
      </form>
    </Card>
  );
}
