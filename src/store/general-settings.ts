/**
 * Run-time settings the admin changes for the kiosk, kept in the settings table (one row each, the
 * value as JSON). A row that does not read back as a valid value (written by another version, edited
 * by hand) gives the default rather than breaking the kiosk.
 */
import { isLang, LANGS, type Lang } from '../i18n/index.js';
import type { SettingsStore } from './store.js';

export interface GeneralSettings {
  /** What the kiosk proposes for a check's length; the API itself still runs until stopped without one. */
  defaultDurationMinutes: number;
  defaultLang: Lang;
  /** The kiosk offers "analyse a capture file". */
  kioskUpload: boolean;
  /** Minutes without a touch before the kiosk goes back to its welcome screen, so a result does not stay on screen; 0: never. */
  kioskIdleMinutes: number;
  /** The worker may choose the network mode (this network, quietcheck's Wi-Fi, Wi-Fi without internet). */
  kioskNetworkChoice: boolean;
  /** The only words in the kiosk's header: a neutral name, so a screen seen over a shoulder says nothing about spyware. */
  kioskTitle: string;
  /** The result is not shown on the kiosk but on the worker's own screen (the admin console's page of the check). */
  kioskRevealElsewhere: boolean;
}

type Spec = { kind: 'int'; min: number; max: number } | { kind: 'bool' } | { kind: 'lang' } | { kind: 'text'; max: number };

export const GENERAL_SETTINGS_SPEC: { readonly [K in keyof GeneralSettings]: Spec } = {
  defaultDurationMinutes: { kind: 'int', min: 1, max: 120 },
  defaultLang: { kind: 'lang' },
  kioskUpload: { kind: 'bool' },
  kioskIdleMinutes: { kind: 'int', min: 0, max: 120 },
  kioskNetworkChoice: { kind: 'bool' },
  kioskTitle: { kind: 'text', max: 40 },
  kioskRevealElsewhere: { kind: 'bool' },
};

/** Every setting, listed (not computed) so the API's schemas can require each by name. */
export const GENERAL_SETTING_KEYS = ['defaultDurationMinutes', 'defaultLang', 'kioskUpload', 'kioskIdleMinutes', 'kioskNetworkChoice', 'kioskTitle', 'kioskRevealElsewhere'] as const satisfies readonly (keyof GeneralSettings)[];
// Fails to compile when a setting is left out of the list above.
const _everyKey: Record<Exclude<keyof GeneralSettings, (typeof GENERAL_SETTING_KEYS)[number]>, never> = {};

/** JSON schema properties for the API, with the same bounds as the reader. */
export const GENERAL_SETTINGS_PROPS = {
  defaultDurationMinutes: { type: 'integer', minimum: 1, maximum: 120, description: 'the check length the kiosk proposes, in minutes' },
  defaultLang: { type: 'string', enum: [...LANGS], description: 'the language the kiosk starts in' },
  kioskUpload: { type: 'boolean', description: 'the kiosk offers "analyse a capture file"' },
  kioskIdleMinutes: { type: 'integer', minimum: 0, maximum: 120, description: 'minutes without a touch before the kiosk returns to its welcome screen; 0: never' },
  kioskNetworkChoice: { type: 'boolean', description: 'the worker may choose the network mode on the kiosk' },
  kioskTitle: { type: 'string', minLength: 1, maxLength: 40, pattern: '\\S', description: "the only words in the kiosk's header (a neutral name); default quietcheck" },
  kioskRevealElsewhere: { type: 'boolean', description: "the kiosk never shows a result: the worker reads it on their own screen, in the admin console's page of the check" },
} as const satisfies Record<keyof GeneralSettings, object>;

export function defaultGeneralSettings(lang: Lang): GeneralSettings {
  // 30 minutes: the length every report's advice asks for (verdict.ts adviseMinutes).
  return { defaultDurationMinutes: 30, defaultLang: lang, kioskUpload: true, kioskIdleMinutes: 10, kioskNetworkChoice: true, kioskTitle: 'quietcheck', kioskRevealElsewhere: false };
}

function valid(spec: Spec, v: unknown): boolean {
  switch (spec.kind) {
    case 'int':
      return typeof v === 'number' && Number.isInteger(v) && v >= spec.min && v <= spec.max;
    case 'bool':
      return typeof v === 'boolean';
    case 'lang':
      return typeof v === 'string' && isLang(v);
    case 'text':
      return typeof v === 'string' && v.trim() !== '' && v.length <= spec.max && !/[\u0000-\u001f\u007f]/.test(v);
  }
}

/** The settings in force; `lang` is the serve configuration's language, the default of defaultLang. */
export function readGeneralSettings(store: SettingsStore, lang: Lang): GeneralSettings {
  const out = defaultGeneralSettings(lang) as unknown as Record<string, unknown>;
  for (const key of GENERAL_SETTING_KEYS) {
    const raw = store.getSetting(key);
    if (raw === null) continue;
    let v: unknown;
    try {
      v = JSON.parse(raw);
    } catch {
      continue;
    }
    if (valid(GENERAL_SETTINGS_SPEC[key], v)) out[key] = v;
  }
  return out as unknown as GeneralSettings;
}

/** Stores the settings given; throws RangeError for a value the reader would not take back. */
export function writeGeneralSettings(store: SettingsStore, patch: Partial<GeneralSettings>): void {
  const entries = GENERAL_SETTING_KEYS.filter((k) => patch[k] !== undefined).map((k) => [k, patch[k]] as const);
  for (const [k, v] of entries) if (!valid(GENERAL_SETTINGS_SPEC[k], v)) throw new RangeError(`${k}: ${JSON.stringify(v)} is not a valid value`);
  for (const [k, v] of entries) store.setSetting(k, JSON.stringify(v));
}
