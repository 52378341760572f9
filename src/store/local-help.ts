/**
 * The service's own help, per language: its contact (who to call back, when) and the helplines it
 * wants survivors to see. Set by the admin; shown in every report and on the kiosk result. Where a
 * language has none set, the catalogue's example helplines are shown, as before.
 */
import { LANGS, t, type Lang } from '../i18n/index.js';
import type { SettingsStore } from './store.js';

export interface LocalHelp {
  /** The service's own contact, free text (name, phone, hours); '' when not set. */
  contact: string;
  /** One helpline per line, as the reader should see it. */
  helplines: string[];
}

export interface LocalHelpView extends LocalHelp {
  /** The helplines are the service's own, not the catalogue's examples. */
  fromService: boolean;
}

const KEY = 'localHelp';
export const MAX_CONTACT = 500;
export const MAX_HELPLINES = 12;
export const MAX_LINE = 200;

type Stored = Partial<Record<Lang, LocalHelp>>;

function clean(v: unknown): LocalHelp | null {
  if (!v || typeof v !== 'object') return null;
  const o = v as { contact?: unknown; helplines?: unknown };
  const contact = typeof o.contact === 'string' ? o.contact.trim().slice(0, MAX_CONTACT) : '';
  const helplines = Array.isArray(o.helplines)
    ? o.helplines.filter((l): l is string => typeof l === 'string').map((l) => l.trim().slice(0, MAX_LINE)).filter((l) => l.length > 0).slice(0, MAX_HELPLINES)
    : [];
  return { contact, helplines };
}

/** Every language's stored help; a row that does not read back (hand-edited, other version) counts as none. */
export function readLocalHelp(store: SettingsStore): Stored {
  const raw = store.getSetting(KEY);
  if (raw === null) return {};
  let doc: unknown;
  try {
    doc = JSON.parse(raw);
  } catch {
    return {};
  }
  const out: Stored = {};
  if (doc && typeof doc === 'object') {
    for (const lang of LANGS) {
      const v = clean((doc as Record<string, unknown>)[lang]);
      if (v && (v.contact || v.helplines.length)) out[lang] = v;
    }
  }
  return out;
}

/** Sets (or, with empty values, clears) one language's help. */
export function writeLocalHelp(store: SettingsStore, lang: Lang, help: LocalHelp): Stored {
  const all = readLocalHelp(store);
  const v = clean(help) ?? { contact: '', helplines: [] };
  if (v.contact || v.helplines.length) all[lang] = v;
  else delete all[lang];
  store.setSetting(KEY, JSON.stringify(all));
  return all;
}

/** What a report or the kiosk in `lang` shows: the service's own help, else the catalogue's examples. */
export function localHelpFor(store: SettingsStore | null, lang: Lang): LocalHelpView {
  const own = store ? readLocalHelp(store)[lang] : undefined;
  const examples = t(lang, 'guidance.help.numbers').split('\n').filter((l) => l.trim().length > 0);
  if (own && own.helplines.length > 0) return { contact: own.contact, helplines: own.helplines, fromService: true };
  return { contact: own?.contact ?? '', helplines: examples, fromService: false };
}
