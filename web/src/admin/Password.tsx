/** Changing the admin password; the session then ends and the login says the password changed. */
import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import { t } from '../i18n.ts';
import { navigate } from '../router.ts';
import { loggedOut } from '../session.ts';
import { errorText, Notice } from '../ui.tsx';
import { Card } from './common.tsx';

export function Password() {
  const [cur, setCur] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    if (next !== again) {
      setError(t('ui.admin.pw.mismatch'));
      return;
    }
    try {
      await api.password(cur, next);
      loggedOut();
      navigate('/admin?changed=1', true);
    } catch (err) {
      setError(errorText(err));
    }
  };
  const field = (label: string, v: string, set: (s: string) => void, ac: string) => (
    <label class="field">
      <span>{label}</span>
      <input type="password" value={v} autoComplete={ac} onInput={(e) => set((e.currentTarget as HTMLInputElement).value)} required />
    </label>
  );
  return (
    <Card title={t('ui.admin.pw.title')} id="pw">
      <form onSubmit={(e) => void submit(e)} class="stack narrow">
        {field(t('ui.admin.pw.current'), cur, setCur, 'current-password')}
        {field(t('ui.admin.pw.next'), next, setNext, 'new-password')}
        {field(t('ui.admin.pw.again'), again, setAgain, 'new-password')}
        <p class="muted small">{t('ui.admin.pw.help')}</p>
        <button type="submit" class="primary">{t('ui.admin.pw.change')}</button>
        {error && <Notice kind="error">{error}</Notice>}
      </form>
    </Card>
  );
}

