/**
 * Detection settings (detection.yaml in the data folder): each rule on or off, the thresholds with
 * their default and why, and the lists the rules use. Only what differs from the defaults is saved,
 * so "reset to defaults" is an empty file.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, type Detection as DetectionData, type DetectionConfig } from '../api.ts';
import { fmtNumber, t } from '../i18n.ts';
import { Notice, Spinner } from '../ui.tsx';
import { failText, SaveResult, useLoad } from './common.tsx';

/** Thresholds, in the order a reader meets them: beaconing, uploads, pings, evidence. */
const THRESHOLDS: { key: string; step: number; min: number; max?: number }[] = [
  { key: 'beaconMinContacts', step: 1, min: 3 },
  { key: 'beaconMaxJitter', step: 0.01, min: 0, max: 1 },
  { key: 'beaconMinPeriodSeconds', step: 1, min: 0 },
  { key: 'beaconBurstSeconds', step: 1, min: 0 },
  { key: 'uploadMinBytes', step: 1, min: 0 },
  { key: 'uploadRatio', step: 0.1, min: 1 },
  { key: 'icmpMinBytes', step: 1, min: 0 },
  { key: 'maxEvidence', step: 1, min: 1 },
  { key: 'inconclusiveMinSeconds', step: 1, min: 0 },
  { key: 'inconclusiveMinBytes', step: 1, min: 0 },
];
/** Lists shown open; the others are behind "more lists". */
const MAIN_LISTS = ['freeIssuers', 'suspectTlds'];
const MORE_LISTS = ['allowNames', 'dohResolvers', 'standardTlsPorts', 'standardHttpPorts', 'commonTcpPorts', 'knownUdpPorts'];
/** Not the admin's to set: the check fills it in with its own hotspot's name. */
const NOT_EDITABLE = ['hotspotName', 'disabled'];

interface Form {
  disabled: Set<string>;
  values: Record<string, string>;
}

const isNumList = (def: unknown): boolean => Array.isArray(def) && def.length > 0 && typeof def[0] === 'number';

function toForm(d: DetectionData): Form {
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries(d.effective)) {
    if (NOT_EDITABLE.includes(k)) continue;
    if (Array.isArray(v)) values[k] = v.join('\n');
    else if (typeof v === 'number') values[k] = String(v);
  }
  return { disabled: new Set(d.effective.disabled), values };
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The overrides the form describes, or the name of the first field that is not a valid value. */
function overrides(d: DetectionData, f: Form): { ok: Partial<DetectionConfig> } | { bad: string } {
  const out: Record<string, unknown> = {};
  const defaults = d.defaults as Record<string, unknown>;
  for (const [k, text] of Object.entries(f.values)) {
    const def = defaults[k];
    let v: unknown;
    if (typeof def === 'number') {
      v = Number(text);
      if (text.trim() === '' || !Number.isFinite(v as number) || (v as number) < 0) return { bad: k };
    } else if (Array.isArray(def)) {
      // Names one per line (an issuer's name may hold a comma); ports may also be separated by commas.
      const items = text.split(isNumList(def) ? /[\n,\s]+/ : /\n/).map((s) => s.trim()).filter((s) => s !== '');
      if (isNumList(def)) {
        const nums = items.map(Number);
        if (nums.some((n) => !Number.isInteger(n) || n < 0 || n > 65535)) return { bad: k };
        v = nums;
      } else v = [...new Set(items)];
    } else continue;
    if (!same(v, def)) out[k] = v;
  }
  const disabled = [...f.disabled].sort();
  if (disabled.length > 0) out.disabled = disabled;
  // Settings this page does not show stay as they were.
  for (const [k, v] of Object.entries(d.overrides)) if (!(k in out) && !(k in f.values) && k !== 'disabled' && k !== 'hotspotName') out[k] = v;
  return { ok: out as Partial<DetectionConfig> };
}

function label(key: string): string {
  return t(`ui.admin.det.set.${key}`);
}

function defaultText(def: unknown): string {
  if (typeof def === 'number') return fmtNumber(def, 2);
  if (Array.isArray(def)) return def.length === 0 ? t('ui.admin.det.emptyList') : def.join(', ');
  return String(def);
}

export function Detection() {
  const d = useLoad<DetectionData>(() => api.detection());
  const [f, setF] = useState<Form | null>(null);
  const [ok, setOk] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (d.data) setF(toForm(d.data));
  }, [d.data]);
  if (d.error) return <Notice kind="error">{d.error}</Notice>;
  if (!d.data || !f) return <Spinner label={t('ui.loading')} />;
  const data = d.data;
  const defaults = data.defaults as Record<string, unknown>;

  const put = async (body: Partial<DetectionConfig>, msg: string): Promise<void> => {
    setOk(null);
    setError(null);
    setBusy(true);
    try {
      const saved = await api.saveDetection(body);
      d.set(saved);
      // The form in the same render as the message: "saved" never shows next to the old values.
      setF(toForm(saved));
      setOk(msg);
    } catch (err) {
      setError(failText(err));
    } finally {
      setBusy(false);
    }
  };
  const save = (e: Event): void => {
    e.preventDefault();
    const o = overrides(data, f);
    if ('bad' in o) {
      setOk(null);
      setError(t('ui.admin.det.bad', { name: label(o.bad) }));
      return;
    }
    void put(o.ok, t('ui.admin.det.saved'));
  };
  const reset = (): void => {
    if (!window.confirm(t('ui.admin.det.resetConfirm'))) return;
    void put({}, t('ui.admin.det.resetDone'));
  };
  const toggle = (id: string, on: boolean): void => {
    const next = new Set(f.disabled);
    if (on) next.delete(id);
    else next.add(id);
    setF({ ...f, disabled: next });
  };
  const setValue = (k: string, v: string): void => setF({ ...f, values: { ...f.values, [k]: v } });

  const families = new Map<string, string[]>();
  for (const r of data.rules) families.set(r.family, [...(families.get(r.family) ?? []), r.id]);
  const familyName = (fam: string): string => {
    const k = `ui.admin.det.family.${fam.toLowerCase()}`;
    const s = t(k);
    return s === k ? fam : s;
  };
  // Device rules have a short name of their own: their report titles name the app found.
  const ruleText = (id: string): string => {
    for (const k of [`ui.admin.det.rule.${id}`, `finding.${id}.title`]) {
      const s = t(k);
      if (s !== k) return s;
    }
    return '';
  };
  const changed = Object.keys(data.overrides).filter((k) => k !== 'hotspotName').length;

  const listField = (k: string) => {
    if (!(k in f.values)) return null;
    const def = defaults[k];
    return (
      <label class="field" key={k}>
        <span>{label(k)}</span>
        <textarea rows={isNumList(def) ? 2 : 5} value={f.values[k]} onInput={(e) => setValue(k, (e.currentTarget as HTMLTextAreaElement).value)} aria-describedby={`det-${k}-help`} spellcheck={false} data-testid={`det-${k}`} />
        <small id={`det-${k}-help`} class="help">
          {t(`ui.admin.det.why.${k}`)} {t('ui.admin.det.onePerLine')}
          {' '}
          {t('ui.admin.det.defaultCount', { count: Array.isArray(def) ? def.length : 0 })}
        </small>
      </label>
    );
  };

  return (
    <form onSubmit={save} class="stack detection" data-testid="detection" noValidate>
      <p class="muted small">{t('ui.admin.det.intro')}</p>
      {data.error && (
        <Notice kind="error">
          <span data-testid="detection-error">{t('ui.admin.det.fileError', { detail: data.error })}</span>
        </Notice>
      )}
      <p class="small" data-testid="detection-changed">{changed === 0 ? t('ui.admin.det.allDefault') : t('ui.admin.det.changed', { count: changed })}</p>

      <h3>{t('ui.admin.det.rules')}</h3>
      <p class="muted small">{t('ui.admin.det.rulesHelp')}</p>
      <div class="rule-families">
        {[...families.entries()].map(([fam, ids]) => (
          <fieldset key={fam} class="rule-family" data-family={fam}>
            <legend>{familyName(fam)}</legend>
            {ids.map((id) => {
              const text = ruleText(id);
              return (
                <label key={id} class="check rule">
                  <input type="checkbox" checked={!f.disabled.has(id)} onChange={(e) => toggle(id, (e.currentTarget as HTMLInputElement).checked)} data-rule={id} />
                  <span>
                    <span class="mono rule-id">{id}</span>
                    {text && <span class="rule-text"> {text}</span>}
                  </span>
                </label>
              );
            })}
          </fieldset>
        ))}
      </div>

      <h3>{t('ui.admin.det.thresholds')}</h3>
      <div class="form-grid wide">
        {THRESHOLDS.filter((th) => th.key in f.values).map((th) => (
          <label class="field" key={th.key}>
            <span>{label(th.key)}</span>
            <input type="number" step={th.step} min={th.min} max={th.max} required value={f.values[th.key]} onInput={(e) => setValue(th.key, (e.currentTarget as HTMLInputElement).value)} aria-describedby={`det-${th.key}-help`} data-testid={`det-${th.key}`} />
            <small id={`det-${th.key}-help`} class="help">
              <strong>{t('ui.admin.det.default', { value: defaultText(defaults[th.key]) })}</strong> {t(`ui.admin.det.why.${th.key}`)}
            </small>
          </label>
        ))}
      </div>

      <h3>{t('ui.admin.det.lists')}</h3>
      <div class="form-grid">{MAIN_LISTS.map(listField)}</div>
      <details class="more">
        <summary>{t('ui.admin.det.moreLists')}</summary>
        <div class="form-grid">{MORE_LISTS.map(listField)}</div>
      </details>

      <div class="actions">
        <button type="submit" class="primary" disabled={busy} data-testid="save-detection">{t('ui.admin.det.save')}</button>
        <button type="button" class="danger-outline" disabled={busy} onClick={reset} data-testid="reset-detection">{t('ui.admin.det.reset')}</button>
      </div>
      <SaveResult ok={ok} error={error} testid="detection-result" />
    </form>
  );
}
