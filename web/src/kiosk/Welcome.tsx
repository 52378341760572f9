/** Step 1: the language of this check, one big button, and what the check does and does not do. */
import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import { lang, setLang, t } from '../i18n.ts';
import { navigate, onLink } from '../router.ts';
import { errorText, Icon, LangPicker, Notice, Title } from '../ui.tsx';

export const DURATIONS = [5, 10, 20, 30, 60];
const DEFAULT_MINUTES = 20;

export function Welcome() {
  const [minutes, setMinutes] = useState(DEFAULT_MINUTES);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const start = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const c = await api.startCheck({ lang: lang.value, durationSeconds: minutes * 60 });
      navigate(`/check/${c.id}`);
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };

  return (
    <div class="screen welcome">
      <Title>{t('ui.welcome.title')}</Title>
      <LangPicker value={lang.value} onPick={(l) => void setLang(l)} label={t('ui.welcome.language')} />
      <div class="welcome-main">
        <button type="button" class="big primary" onClick={() => void start()} disabled={busy} data-testid="start">
          <Icon name="phone" size={32} />
          <span>{busy ? t('ui.welcome.starting') : t('ui.welcome.start')}</span>
        </button>
        <label class="inline-field">
          <span>{t('ui.welcome.duration')}</span>
          <select value={minutes} onChange={(e) => setMinutes(Number((e.currentTarget as HTMLSelectElement).value))}>
            {DURATIONS.map((m) => (
              <option value={m} key={m}>
                {t('ui.minutes', { count: m })}
              </option>
            ))}
          </select>
        </label>
      </div>
      {error && <Notice kind="error">{error}</Notice>}
      <section class="about" aria-labelledby="about-h">
        <h2 id="about-h">{t('ui.welcome.aboutHeading')}</h2>
        <ul>
          <li>{t('ui.welcome.does')}</li>
          <li>{t('ui.welcome.private')}</li>
          <li>{t('ui.welcome.doesNot')}</li>
        </ul>
      </section>
      <p class="alt">
        <a href="/upload" onClick={onLink} class="link-button">
          <Icon name="file" size={20} />
          {t('ui.welcome.upload')}
        </a>
      </p>
    </div>
  );
}
