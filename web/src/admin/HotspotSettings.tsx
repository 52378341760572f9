/**
 * The hotspot's settings: which adapter the phone joins, online or sinkhole, how the network is named,
 * the password, the radio channel and country. They apply to the next check.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, type Features, type HotspotAdmin, type HotspotSettings } from '../api.ts';
import { t } from '../i18n.ts';
import { Spinner } from '../ui.tsx';
import { failText, SaveResult, useLoad } from './common.tsx';
import { PasswordInput } from './Uplink.tsx';

const CH24 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13];
const CH5 = [36, 40, 44, 48, 52, 56, 60, 64, 100, 104, 108, 112, 116, 120, 124, 128, 132, 136, 140, 144, 149, 153, 157, 161, 165];
const BACKENDS = ['auto', 'hostapd', 'networkmanager', 'wired'];

interface Form {
  iface: string;
  backend: HotspotSettings['backend'];
  mode: HotspotSettings['mode'];
  ssidFixed: boolean;
  ssid: string;
  pwFixed: boolean;
  password: string;
  channel: number;
  country: string;
}

function toForm(s: HotspotSettings): Form {
  return {
    iface: s.iface ?? '',
    backend: s.backend,
    mode: typeof s.mode === 'string' ? s.mode : 'hotspot',
    ssidFixed: s.ssid !== null,
    ssid: s.ssid ?? '',
    pwFixed: s.password !== null,
    password: s.password ?? '',
    channel: s.channel,
    country: s.country,
  };
}

export function HotspotSettingsCard({ features }: { features: Features }) {
  const h = useLoad<HotspotAdmin>(() => api.hotspot());
  // The adapters this machine has, offered as suggestions (a USB one plugged in later can be typed).
  const ifaces = useLoad(() => api.uplinks(false).catch(() => null));
  const [f, setF] = useState<Form | null>(null);
  const [ok, setOk] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (h.data && f === null) setF(toForm(h.data.settings));
  }, [h.data]);
  if (h.error) return <SaveResult ok={null} error={h.error} />;
  if (!h.data || !f) return <Spinner label={t('ui.loading')} />;
  const keys = features.hotspotKeys;
  const sources = h.data.sources ?? {};
  /** Set by a --hotspot-* flag of `quietcheck serve`: shown, but changed only there. */
  const pinned = (k: string): boolean => sources[k] === 'command line';
  const can = (k: string): boolean => (keys.length === 0 || keys.includes(k)) && !pinned(k);
  const pinNote = (k: string) => (pinned(k) ? <small class="help pinned">{t('ui.admin.hs.pinned')}</small> : null);
  const set = (patch: Partial<Form>): void => setF({ ...f, ...patch });
  const names = [...new Set([...(ifaces.data?.wifiAdapters ?? []).map((a) => a.iface), ...(ifaces.data?.ethernet ?? []).map((e) => e.iface)])];

  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    setOk(null);
    setError(null);
    const country = f.country.trim().toUpperCase();
    if (can('country') && !/^[A-Z]{2}$/.test(country)) return setError(t('ui.admin.hs.countryBad'));
    if (can('ssid') && f.ssidFixed && f.ssid.trim() === '') return setError(t('ui.admin.hs.ssidEmpty'));
    if (can('password') && f.pwFixed && (f.password.length < 12 || f.password.length > 63)) return setError(t('ui.admin.hs.passwordBad'));
    const change: Partial<HotspotSettings> = {
      iface: f.iface.trim() === '' ? null : f.iface.trim(),
      backend: f.backend,
      ssid: f.ssidFixed ? f.ssid.trim() : null,
      password: f.pwFixed ? f.password : null,
      channel: f.channel,
      country,
    };
    if (keys.includes('mode')) change.mode = f.mode;
    for (const k of Object.keys(change) as (keyof HotspotSettings)[]) if (!can(k)) delete change[k];
    setBusy(true);
    try {
      const next = await api.saveHotspot(change);
      h.set(next);
      setF(toForm(next.settings));
      setOk(t('ui.admin.hs.saved'));
    } catch (err) {
      setError(failText(err));
    } finally {
      setBusy(false);
    }
  };

  const backend = h.data.backend;
  return (
    // noValidate: the checks below say what is wrong in the page's language, not the browser's.
    <form onSubmit={(e) => void submit(e)} class="stack" data-testid="hotspot-settings" noValidate>
      <p class="muted small">{t('ui.admin.hs.intro')}</p>
      <fieldset class="choice">
        <legend>{t('ui.admin.hs.mode')}</legend>
        {pinNote('mode')}
        {keys.includes('mode') ? (
          (['hotspot', 'sinkhole'] as const).map((m) => (
            <label key={m} class="check">
              <input type="radio" name="hs-mode" value={m} checked={f.mode === m} disabled={pinned('mode')} onChange={() => set({ mode: m })} aria-describedby={`hs-mode-${m}`} data-testid={`hs-mode-${m}`} />
              <span>
                <strong>{t(`ui.admin.hs.mode.${m}`)}</strong>
                <small id={`hs-mode-${m}`} class="help">{t(`ui.admin.hs.mode.${m}Help`)}</small>
              </span>
            </label>
          ))
        ) : (
          <ul class="help-list">
            <li><strong>{t('ui.admin.hs.mode.hotspot')}</strong>: {t('ui.admin.hs.mode.hotspotHelp')}</li>
            <li><strong>{t('ui.admin.hs.mode.sinkhole')}</strong>: {t('ui.admin.hs.mode.sinkholeHelp')}</li>
            <li class="muted">{t('ui.admin.hs.modePerCheck')}</li>
          </ul>
        )}
      </fieldset>
      <div class="form-grid">
        <label class="field">
          <span>{t('ui.admin.hotspot.iface')}</span>
          <input value={f.iface} list="hs-ifaces" maxLength={15} pattern="[A-Za-z0-9_.:@][A-Za-z0-9_.:@\-]{0,14}" placeholder={t('ui.admin.hs.backend.auto')} onInput={(e) => set({ iface: (e.currentTarget as HTMLInputElement).value })} aria-describedby="hs-iface-help" data-testid="hs-iface" disabled={pinned('iface')} />
          <datalist id="hs-ifaces">
            {names.map((n) => (
              <option key={n} value={n} />
            ))}
          </datalist>
          <small id="hs-iface-help" class="help">{t('ui.admin.hs.ifaceHelp')} {pinned('iface') && t('ui.admin.hs.pinned')}</small>
        </label>
        <label class="field">
          <span>{t('ui.admin.hotspot.backend')}</span>
          <select value={f.backend} onChange={(e) => set({ backend: (e.currentTarget as HTMLSelectElement).value as Form['backend'] })} aria-describedby="hs-backend-help" data-testid="hs-backend" disabled={pinned('backend')}>
            {BACKENDS.map((b) => (
              <option key={b} value={b}>{t(`ui.admin.hs.backend.${b}`)}</option>
            ))}
          </select>
          <small id="hs-backend-help" class="help">
            {backend.backend ? t('ui.admin.hs.backendNow', { backend: backend.backend }) : t('ui.admin.hs.backendNone')}
            {backend.reason ? ` (${backend.reason})` : ''} {pinned('backend') && t('ui.admin.hs.pinned')}
          </small>
        </label>
        <label class="field">
          <span>{t('ui.admin.hs.channel')}</span>
          <select value={f.channel} onChange={(e) => set({ channel: Number((e.currentTarget as HTMLSelectElement).value) })} aria-describedby="hs-channel-help" data-testid="hs-channel" disabled={pinned('channel')}>
            <optgroup label={t('ui.admin.hs.band24')}>
              {CH24.map((c) => (
                <option key={c} value={c}>{c}</option>
              ))}
            </optgroup>
            <optgroup label={t('ui.admin.hs.band5')}>
              {CH5.map((c) => (
                <option key={c} value={c}>{c}</option>
              ))}
            </optgroup>
          </select>
          <small id="hs-channel-help" class="help">{t('ui.admin.hs.channelHelp')} {pinned('channel') && t('ui.admin.hs.pinned')}</small>
        </label>
        <label class="field">
          <span>{t('ui.admin.hs.country')}</span>
          <input value={f.country} maxLength={2} pattern="[A-Za-z]{2}" required autoCapitalize="characters" onInput={(e) => set({ country: (e.currentTarget as HTMLInputElement).value.toUpperCase() })} aria-describedby="hs-country-help" data-testid="hs-country" disabled={pinned('country')} />
          <small id="hs-country-help" class="help">{t('ui.admin.hs.countryHelp')} {pinned('country') && t('ui.admin.hs.pinned')}</small>
        </label>
      </div>
      <fieldset class="choice">
        <legend>{t('ui.admin.hs.ssid')}</legend>
        {pinNote('ssid')}
        <label class="check">
          <input type="radio" name="hs-ssid" disabled={pinned('ssid')} checked={!f.ssidFixed} onChange={() => set({ ssidFixed: false })} data-testid="hs-ssid-random" />
          <span>
            <strong>{t('ui.admin.hs.ssidRandom')}</strong>
            <small class="help">{t('ui.admin.hs.ssidRandomHelp')}</small>
          </span>
        </label>
        <label class="check">
          <input type="radio" name="hs-ssid" disabled={pinned('ssid')} checked={f.ssidFixed} onChange={() => set({ ssidFixed: true })} data-testid="hs-ssid-fixed" />
          <span>
            <strong>{t('ui.admin.hs.ssidFixed')}</strong>
            <small class="help">{t('ui.admin.hs.ssidFixedHelp')}</small>
          </span>
        </label>
        {f.ssidFixed && (
          <label class="field narrow indent">
            <span>{t('ui.admin.hotspot.ssid')}</span>
            <input value={f.ssid} maxLength={32} required disabled={pinned('ssid')} onInput={(e) => set({ ssid: (e.currentTarget as HTMLInputElement).value })} data-testid="hs-ssid" />
          </label>
        )}
      </fieldset>
      <fieldset class="choice">
        <legend>{t('ui.admin.hs.password')}</legend>
        {pinNote('password')}
        <label class="check">
          <input type="radio" name="hs-pw" disabled={pinned('password')} checked={!f.pwFixed} onChange={() => set({ pwFixed: false })} data-testid="hs-pw-random" />
          <span><strong>{t('ui.admin.hs.pwRandom')}</strong></span>
        </label>
        <label class="check">
          <input type="radio" name="hs-pw" disabled={pinned('password')} checked={f.pwFixed} onChange={() => set({ pwFixed: true })} data-testid="hs-pw-fixed" />
          <span><strong>{t('ui.admin.hs.pwFixed')}</strong></span>
        </label>
        {f.pwFixed && (
          <div class="indent narrow">
            <PasswordInput id="hs-pw" label={t('ui.admin.hs.pwLabel')} value={f.password} onInput={(v) => set({ password: v })} help={t('ui.admin.hs.pwHelp')} minLength={12} autoComplete="new-password" />
          </div>
        )}
      </fieldset>
      <div>
        <button type="submit" class="primary" disabled={busy} data-testid="save-hotspot">{t('ui.admin.hs.save')}</button>
      </div>
      <SaveResult ok={ok} error={error} testid="hotspot-result" />
    </form>
  );
}
