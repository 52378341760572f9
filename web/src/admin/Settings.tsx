/**
 * The admin's settings, one card each: this device (read-only), checks (default length, language,
 * retention), the kiosk (file analysis, idle return, network choice), the hotspot, the internet
 * connection and detection.
 */
import { useState } from 'preact/hooks';
import { api, kioskSettings, type Features, type Settings, type SettingsChange } from '../api.ts';
import { fmtBytes, LANG_NAMES, LANGS, t } from '../i18n.ts';
import { Spinner } from '../ui.tsx';
import { Detection } from './Detection.tsx';
import { HotspotSettingsCard } from './HotspotSettings.tsx';
import { Card, failText, NotYet, num, SaveResult, useLoad } from './common.tsx';
import { UplinkCard } from './Uplink.tsx';
import { LocalHelpCard } from './LocalHelp.tsx';

/** A card's form: its own save button and outcome, so one card's error never hides another's. */
function useSave(onSaved: (s: Settings) => void) {
  const [ok, setOk] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const save = async (change: SettingsChange): Promise<void> => {
    setOk(null);
    setError(null);
    setBusy(true);
    try {
      onSaved(await api.changeSettings(change));
      void kioskSettings(true);
      setOk(t('ui.admin.saved'));
    } catch (err) {
      setError(failText(err));
    } finally {
      setBusy(false);
    }
  };
  return { ok, error, busy, save, fail: (m: string) => (setOk(null), setError(m)) };
}

function ChecksCard({ s, onSaved }: { s: Settings; onSaved: (s: Settings) => void }) {
  const [minutes, setMinutes] = useState(String(s.defaultDurationMinutes ?? 20));
  const [lang, setLang] = useState(s.defaultLang ?? 'en');
  const [days, setDays] = useState(String(s.retentionDays));
  const r = useSave(onSaved);
  const submit = (e: Event): void => {
    e.preventDefault();
    const m = num(minutes);
    const d = num(days);
    if (!Number.isInteger(m) || m < 1 || m > 120) return r.fail(t('ui.admin.set.minutesRange'));
    if (!Number.isInteger(d) || d < 0 || d > 36500) return r.fail(t('ui.admin.set.daysRange'));
    void r.save({ defaultDurationMinutes: m, defaultLang: lang, retentionDays: d });
  };
  return (
    <Card title={t('ui.admin.set.checks')} id="set-checks">
      <form onSubmit={submit} class="stack" data-testid="checks-settings" noValidate>
        <div class="form-grid">
          <label class="field">
            <span>{t('ui.admin.set.minutes')}</span>
            <input type="number" min={1} max={120} step={1} required value={minutes} onInput={(e) => setMinutes((e.currentTarget as HTMLInputElement).value)} aria-describedby="set-minutes-help" data-testid="default-minutes" />
            <small id="set-minutes-help" class="help">{t('ui.admin.set.minutesHelp')}</small>
          </label>
          <label class="field">
            <span>{t('ui.admin.set.lang')}</span>
            <select value={lang} onChange={(e) => setLang((e.currentTarget as HTMLSelectElement).value as Settings['defaultLang'])} aria-describedby="set-lang-help" data-testid="default-lang">
              {LANGS.map((l) => (
                <option key={l} value={l} lang={l}>{LANG_NAMES[l]}</option>
              ))}
            </select>
            <small id="set-lang-help" class="help">{t('ui.admin.set.langHelp')}</small>
          </label>
          <label class="field">
            <span>{t('ui.admin.checks.retentionLabel')}</span>
            <input type="number" min={0} max={36500} step={1} required value={days} onInput={(e) => setDays((e.currentTarget as HTMLInputElement).value)} aria-describedby="set-days-help" data-testid="settings-retention" />
            <small id="set-days-help" class="help">{t('ui.admin.checks.retentionHelp')}</small>
          </label>
        </div>
        <div>
          <button type="submit" class="primary" disabled={r.busy} data-testid="save-checks">{t('ui.admin.save')}</button>
        </div>
      </form>
      <SaveResult ok={r.ok} error={r.error} testid="checks-result" />
    </Card>
  );
}

function KioskCard({ s, onSaved }: { s: Settings; onSaved: (s: Settings) => void }) {
  const [upload, setUpload] = useState(s.kioskUpload ?? true);
  const [idle, setIdle] = useState(String(s.kioskIdleMinutes ?? 0));
  const [choice, setChoice] = useState(s.kioskNetworkChoice ?? true);
  const [title, setTitle] = useState(s.kioskTitle ?? 'quietcheck');
  const [elsewhere, setElsewhere] = useState(s.kioskRevealElsewhere ?? false);
  const r = useSave(onSaved);
  const submit = (e: Event): void => {
    e.preventDefault();
    const m = num(idle);
    if (!Number.isInteger(m) || m < 0 || m > 120) return r.fail(t('ui.admin.set.idleRange'));
    if (title.trim() === '' || title.length > 40) return r.fail(t('ui.kiosk2.set.titleRange'));
    void r.save({ kioskUpload: upload, kioskIdleMinutes: m, kioskNetworkChoice: choice, kioskTitle: title.trim(), kioskRevealElsewhere: elsewhere });
  };
  return (
    <Card title={t('ui.admin.set.kiosk')} id="set-kiosk">
      <form onSubmit={submit} class="stack" data-testid="kiosk-settings" noValidate>
        <label class="check">
          <input type="checkbox" checked={upload} onChange={(e) => setUpload((e.currentTarget as HTMLInputElement).checked)} aria-describedby="set-upload-help" data-testid="kiosk-upload" />
          <span>
            <strong>{t('ui.admin.set.upload')}</strong>
            <small id="set-upload-help" class="help">{t('ui.admin.set.uploadHelp')}</small>
          </span>
        </label>
        <label class="check">
          <input type="checkbox" checked={choice} onChange={(e) => setChoice((e.currentTarget as HTMLInputElement).checked)} aria-describedby="set-choice-help" data-testid="kiosk-choice" />
          <span>
            <strong>{t('ui.admin.set.choice')}</strong>
            <small id="set-choice-help" class="help">{t('ui.admin.set.choiceHelp')}</small>
          </span>
        </label>
        <label class="field narrow">
          <span>{t('ui.admin.set.idle')}</span>
          <input type="number" min={0} max={120} step={1} required value={idle} onInput={(e) => setIdle((e.currentTarget as HTMLInputElement).value)} aria-describedby="set-idle-help" data-testid="kiosk-idle" />
          <small id="set-idle-help" class="help">{t('ui.admin.set.idleHelp')}</small>
        </label>
        <label class="field narrow">
          <span>{t('ui.kiosk2.set.title')}</span>
          <input type="text" maxLength={40} required value={title} onInput={(e) => setTitle((e.currentTarget as HTMLInputElement).value)} aria-describedby="set-title-help" data-testid="kiosk-title" />
          <small id="set-title-help" class="help">{t('ui.kiosk2.set.titleHelp')}</small>
        </label>
        <label class="check">
          <input type="checkbox" checked={elsewhere} onChange={(e) => setElsewhere((e.currentTarget as HTMLInputElement).checked)} aria-describedby="set-elsewhere-help" data-testid="kiosk-elsewhere" />
          <span>
            <strong>{t('ui.kiosk2.set.elsewhere')}</strong>
            <small id="set-elsewhere-help" class="help">{t('ui.kiosk2.set.elsewhereHelp')}</small>
          </span>
        </label>
        <div>
          <button type="submit" class="primary" disabled={r.busy} data-testid="save-kiosk">{t('ui.admin.save')}</button>
        </div>
      </form>
      <SaveResult ok={r.ok} error={r.error} testid="kiosk-result" />
    </Card>
  );
}

export function SettingsView({ features }: { features: Features }) {
  const s = useLoad<Settings>(() => api.settings());
  const saved = (next: Settings): void => s.set(next);
  const yes = (b: boolean): string => (b ? t('ui.yes') : t('ui.no'));
  const hasKiosk = s.data !== null && s.data.defaultDurationMinutes !== undefined;
  return (
    <>
      {s.data && hasKiosk && (
        <div class="card-grid">
          <ChecksCard s={s.data} onSaved={saved} />
          <KioskCard s={s.data} onSaved={saved} />
        </div>
      )}
      {s.data && !hasKiosk && (
        <Card title={t('ui.admin.settings.kiosk')} id="kio">
          <NotYet what={t('ui.admin.settings.kiosk')} />
        </Card>
      )}
      <Card title={t('ui.admin.help.title')} id="help">
        <LocalHelpCard />
      </Card>
      <Card title={t('ui.admin.settings.hotspotTitle')} id="hset">
        {features.adminHotspot ? <HotspotSettingsCard features={features} /> : <NotYet what={t('ui.admin.settings.hotspot')} />}
      </Card>
      <Card title={t('ui.admin.uplink')} id="uplink">
        {features.uplink ? <UplinkCard /> : <NotYet what={t('ui.admin.uplink')} />}
      </Card>
      <Card title={t('ui.admin.settings.detection')} id="det">
        {features.detection ? <Detection /> : <NotYet what={t('ui.admin.settings.detection')} />}
      </Card>
      <Card title={t('ui.admin.settings.title')} id="set">
        {s.error && <SaveResult ok={null} error={s.error} />}
        {s.data ? (
          <dl class="kv">
            <dt>{t('ui.admin.status.interface')}</dt>
            <dd class="mono">{s.data.interface ?? t('ui.admin.status.noInterface')}</dd>
            <dt>{t('ui.admin.settings.maxUpload')}</dt>
            <dd>{fmtBytes(s.data.maxUploadBytes)}</dd>
            <dt>{t('ui.admin.settings.remoteKiosk')}</dt>
            <dd>{yes(s.data.allowRemoteKiosk)}</dd>
            <dt>{t('ui.admin.settings.remoteAdmin')}</dt>
            <dd>{yes(s.data.allowRemoteAdmin)}</dd>
          </dl>
        ) : (
          !s.error && <Spinner label={t('ui.loading')} />
        )}
        <p class="muted small">{t('ui.admin.settings.fileHelp')}</p>
      </Card>
    </>
  );
}
