/** Step 1: the language of this check, one big button, and what the check does and does not do. */
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, getFeatures, kioskSettings, type CheckMode, type KioskSettings } from '../api.ts';
import { isLang, lang, setLang, t } from '../i18n.ts';
import { navigate, onLink } from '../router.ts';
import { carryDevice } from './pairing.ts';
import { errorText, headerTitle, Icon, langChosen, LangPicker, Notice, pickLang, Title } from '../ui.tsx';

export const DURATIONS = [5, 10, 20, 30, 60];
const DEFAULT_MINUTES = 20;
const MODES: readonly CheckMode[] = ['interface', 'hotspot', 'sinkhole'];

/**
 * Where the choice starts: quietcheck's own Wi-Fi in the admin's default mode (GET /api/hotspot) when
 * it is set up; null where it is not, and then no choice is offered (the check uses this network).
 */
async function startingMode(hotspotPath: string | null): Promise<CheckMode | null> {
  if (hotspotPath === null) return null;
  try {
    const r = await fetch(hotspotPath, { headers: { accept: 'application/json' } });
    if (!r.ok) return null;
    const j = (await r.json()) as { defaultMode?: unknown; configured?: unknown };
    // No own Wi-Fi set up: its two modes could only fail, so there is no choice to offer.
    if (j.configured === false) return null;
    return j.defaultMode === 'sinkhole' ? 'sinkhole' : 'hotspot';
  } catch {
    return null;
  }
}

/**
 * How the phone connects, where this device has its own hotspot: the network it already listens on,
 * its own Wi-Fi with internet, or its own Wi-Fi without (names answered locally, nothing gets out).
 */
function ModePicker({ value, onPick }: { value: CheckMode; onPick: (m: CheckMode) => void }) {
  return (
    <fieldset class="modes" data-testid="modes">
      <legend>{t('ui.welcome.modeLegend')}</legend>
      <div class="mode-row">
        {MODES.map((m) => (
          <label key={m} class={m === value ? 'mode on' : 'mode'} data-mode={m}>
            <input type="radio" name="mode" value={m} checked={m === value} onChange={() => onPick(m)} aria-describedby={`mode-${m}-help`} />
            <span class="mode-text">
              <strong>{t(`ui.welcome.mode.${m}`)}</strong>
              <span id={`mode-${m}-help`} class="mode-help">{t(`ui.welcome.mode.${m}Help`)}</span>
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

export function Welcome() {
  const [minutes, setMinutes] = useState(DEFAULT_MINUTES);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // The check already running when "another check is running" was the answer.
  const [other, setOther] = useState<string | null>(null);
  // Offered only where the API has the kiosk's hotspot and the admin lets the worker choose; elsewhere
  // the check uses the configured interface.
  const [hasHotspot, setHasHotspot] = useState(false);
  const [uplink, setUplink] = useState(false);
  // null until the starting choice is known.
  const [mode, setMode] = useState<CheckMode | null>(null);
  // The admin's kiosk options; until they arrive, nothing optional is shown (no flash of a hidden entry).
  const [k, setK] = useState<KioskSettings | null>(null);
  useEffect(() => {
    let live = true;
    void getFeatures().then((f) => {
      if (!live) return;
      setHasHotspot(f.kioskHotspot);
      setUplink(f.uplink !== null);
      if (f.kioskHotspot) void startingMode(f.hotspot).then((m) => live && m !== null && setMode((cur) => cur ?? m));
    });
    // Asked again at each visit: an admin's change reaches a kiosk left open without a reload.
    void kioskSettings(true).then((s) => {
      if (!live) return;
      setK(s);
      headerTitle.value = s.kioskTitle;
      document.title = s.kioskTitle;
      setMinutes(s.defaultDurationMinutes);
      if (!langChosen() && isLang(s.defaultLang) && s.defaultLang !== lang.value) void setLang(s.defaultLang);
    });
    return () => {
      live = false;
    };
  }, []);
  const modes = hasHotspot && k !== null && k.kioskNetworkChoice && mode !== null;
  const durations = [...new Set([...DURATIONS, minutes])].sort((a, b) => a - b);

  const start = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    setOther(null);
    try {
      const c = await api.startCheck({ lang: lang.value, durationSeconds: minutes * 60, ...(modes && mode !== null ? { mode } : {}) });
      navigate(`/check/${c.id}${carryDevice()}`);
    } catch (err) {
      // At the start of a check, the hotspot's settings can only be wrong in one way: there is no own Wi-Fi.
      setError(err instanceof ApiError && err.code === 'hotspot-settings' ? t('ui.error.noOwnWifi') : errorText(err));
      setBusy(false);
      // Another check holds the capture: it can be opened from here rather than lost.
      if (err instanceof ApiError && err.code === 'busy') {
        void api.running().then(
          (r) => setOther(r.checks[0]?.id ?? null),
          () => setOther(null),
        );
      }
    }
  };

  return (
    <div class="screen welcome">
      <Title>{t('ui.welcome.title')}</Title>
      <LangPicker value={lang.value} onPick={pickLang} label={t('ui.welcome.language')} />
      {modes && (
        <ModePicker
          value={mode}
          onPick={setMode}
        />
      )}
      <div class="welcome-main">
        <button type="button" class="big primary" onClick={() => void start()} disabled={busy} data-testid="start">
          <Icon name="phone" size={32} />
          <span>{busy ? t('ui.welcome.starting') : t('ui.welcome.start')}</span>
        </button>
        <label class="inline-field">
          <span>{t('ui.welcome.duration')}</span>
          <select value={minutes} onChange={(e) => setMinutes(Number((e.currentTarget as HTMLSelectElement).value))} data-testid="duration">
            {durations.map((m) => (
              <option value={m} key={m}>
                {t('ui.minutes', { count: m })}
              </option>
            ))}
          </select>
        </label>
      </div>
      {error && (
        <Notice kind="error">
          {error}
          {other !== null && (
            <>
              {' '}
              <a href={`/check/${other}`} onClick={onLink} class="button secondary small" data-testid="open-running">{t('ui.kiosk2.busy.open')}</a>
            </>
          )}
        </Notice>
      )}
      {/* Above the explanations: on an 800×480 screen the other ways in stay on screen, the reading can scroll. */}
      <p class="alt">
        <a href="/usb" onClick={onLink} class="link-button" data-testid="usb-link">
          <Icon name="phone" size={20} />
          {t('ui.welcome.usb')}
        </a>
        {k?.kioskUpload && (
          <a href="/upload" onClick={onLink} class="link-button">
            <Icon name="file" size={20} />
            {t('ui.welcome.upload')}
          </a>
        )}
        {uplink && (
          <a href="/connection" onClick={onLink} class="link-quiet" data-testid="uplink-link">
            <Icon name="wifi" size={18} />
            {t('ui.welcome.uplink')}
          </a>
        )}
      </p>
      <section class="about" aria-labelledby="about-h">
        <h2 id="about-h">{t('ui.welcome.aboutHeading')}</h2>
        <ul>
          <li>{t('ui.welcome.does')}</li>
          <li>{t('ui.welcome.private')}</li>
          <li>{t('ui.welcome.doesNot')}</li>
        </ul>
      </section>
    </div>
  );
}
