/**
 * The service's own contact and helplines, per language: shown on the kiosk result and in every
 * report. Empty fields bring back quietcheck's example helplines for that language.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, type LocalHelp } from '../api.ts';
import { lang as uiLang, LANG_NAMES, LANGS, t } from '../i18n.ts';
import { Spinner } from '../ui.tsx';
import { failText, SaveResult, useLoad } from './common.tsx';

export function LocalHelpCard() {
  const all = useLoad(() => api.adminHelp());
  const [lang, setLang] = useState<string>((LANGS as readonly string[]).includes(uiLang.value) ? uiLang.value : 'en');
  const [contact, setContact] = useState('');
  const [lines, setLines] = useState('');
  const [ok, setOk] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const current: LocalHelp | undefined = all.data?.[lang];
  useEffect(() => {
    if (!current) return;
    setContact(current.contact);
    // The examples are shown as a placeholder, not as text to edit: saving them would freeze them.
    setLines(current.fromService ? current.helplines.join('\n') : '');
  }, [current, lang]);
  const save = async (e: Event): Promise<void> => {
    e.preventDefault();
    setOk(null);
    setError(null);
    try {
      const helplines = lines.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
      const saved = await api.saveHelp(lang, contact.trim(), helplines);
      all.set({ ...(all.data ?? {}), [lang]: saved });
      setOk(t('ui.admin.saved'));
    } catch (err) {
      setError(failText(err));
    }
  };
  if (!all.data) return all.error ? <SaveResult ok={null} error={all.error} /> : <Spinner label={t('ui.loading')} />;
  return (
    <form onSubmit={(e) => void save(e)} data-testid="local-help">
      <p class="muted small">{t('ui.admin.help.intro')}</p>
      <label class="field">
        <span>{t('ui.admin.help.lang')}</span>
        <select value={lang} onChange={(e) => setLang((e.currentTarget as HTMLSelectElement).value)} data-testid="help-lang">
          {LANGS.map((l) => (
            <option key={l} value={l}>
              {LANG_NAMES[l]}
            </option>
          ))}
        </select>
      </label>
      <label class="field">
        <span>{t('ui.admin.help.contact')}</span>
        <textarea rows={2} maxLength={500} value={contact} onInput={(e) => setContact((e.currentTarget as HTMLTextAreaElement).value)} data-testid="help-contact" />
      </label>
      <label class="field">
        <span>{t('ui.admin.help.lines')}</span>
        <textarea
          rows={4}
          value={lines}
          placeholder={current && !current.fromService ? current.helplines.join('\n') : ''}
          onInput={(e) => setLines((e.currentTarget as HTMLTextAreaElement).value)}
          data-testid="help-lines"
        />
      </label>
      <p class="muted small">{t('ui.admin.help.linesHelp')}</p>
      <button type="submit" class="primary" data-testid="help-save">
        {t('ui.admin.save')}
      </button>
      <SaveResult ok={ok} error={error} testid="help-result" />
    </form>
  );
}
