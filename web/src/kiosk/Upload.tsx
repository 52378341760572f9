/** A capture file made elsewhere (TinyCheck, Wireshark, tcpdump) checked the same way, to the same result page. */
import { useEffect, useState } from 'preact/hooks';
import { kioskSettings, upload } from '../api.ts';
import { lang, t } from '../i18n.ts';
import { navigate, onLink } from '../router.ts';
import { errorText, Icon, LangPicker, Notice, pickLang, Title } from '../ui.tsx';

export function Upload() {
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  // The admin can turn file analysis off for the kiosk: then this screen says so instead of offering it.
  const [offered, setOffered] = useState(true);
  useEffect(() => {
    void kioskSettings().then((k) => setOffered(k.kioskUpload));
  }, []);

  const send = async (e: Event): Promise<void> => {
    e.preventDefault();
    if (!file) {
      setError(t('ui.upload.pick'));
      return;
    }
    setError(null);
    setProgress(0);
    try {
      const c = await upload(file, lang.value, setProgress);
      navigate(`/result/${c.id}`);
    } catch (err) {
      setError(errorText(err));
      setProgress(null);
    }
  };

  const uploading = progress !== null;
  if (!offered && !uploading) {
    return (
      <div class="screen upload">
        <Title>{t('ui.upload.title')}</Title>
        <Notice kind="info">{t('ui.upload.off')}</Notice>
        <p>
          <a href="/" onClick={onLink}>{t('ui.back')}</a>
        </p>
      </div>
    );
  }
  return (
    <div class="screen upload">
      <Title>{t('ui.upload.title')}</Title>
      <p class="lead">{t('ui.upload.intro')}</p>
      <LangPicker value={lang.value} onPick={pickLang} label={t('ui.upload.language')} />
      <form onSubmit={(e) => void send(e)} class="upload-form">
        <label class="file-pick">
          <Icon name="file" size={28} />
          <span>{file ? file.name : t('ui.upload.choose')}</span>
          <input
            type="file"
            accept=".pcap,.pcapng,.cap,.dmp,application/vnd.tcpdump.pcap"
            data-testid="file"
            onChange={(e) => {
              const f = (e.currentTarget as HTMLInputElement).files?.[0] ?? null;
              setFile(f);
              // "Choose a file first." no longer applies once one is chosen.
              if (f !== null) setError(null);
            }}
            disabled={uploading}
          />
        </label>
        <p class="muted small">{t('ui.upload.help')}</p>
        <button type="submit" class="big primary" disabled={uploading} data-testid="analyse">
          {uploading ? t('ui.upload.working') : t('ui.upload.go')}
        </button>
      </form>
      {uploading && (
        <div>
          <div class={progress >= 1 ? 'bar indeterminate' : 'bar'} role="progressbar" aria-label={t('ui.upload.working')} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(progress * 100)}>
            <span style={{ width: `${Math.round(progress * 100)}%` }} />
          </div>
          <p class="muted" aria-live="polite">{progress >= 1 ? t('ui.analyse.title') : t('ui.upload.sending', { pct: Math.round(progress * 100) })}</p>
        </div>
      )}
      {error && <Notice kind="error">{error}</Notice>}
      <p>
        <a href="/" onClick={onLink}>{t('ui.back')}</a>
      </p>
    </div>
  );
}
