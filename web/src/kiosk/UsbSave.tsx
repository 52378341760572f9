/**
 * Evidence leaves the kiosk on a USB drive: the whole check as a ZIP (protected by a passphrase the
 * worker types, or plain), or the PDF report. The drive is one quietcheck found mounted; the screen
 * says exactly what was written where, or why nothing was.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, type Drive, type UsbWritten } from '../api.ts';
import { fmtBytes, t } from '../i18n.ts';
import { errorText, Notice, Spinner } from '../ui.tsx';

/** The server's shortest passphrase (src/export/zip.ts). */
const MIN_PASSPHRASE = 8;

const FAILURES = ['no-drive', 'not-mounted', 'read-only', 'full', 'too-large-for-drive', 'permission-denied', 'write-failed', 'pdf-unavailable', 'pdf-failed'];

function failure(err: unknown): string {
  if (err instanceof ApiError && FAILURES.includes(err.code)) return t(`ui.kiosk2.usb.err.${err.code}`);
  return errorText(err);
}

function driveName(d: Drive): string {
  return d.label ?? d.mountPoint;
}

/** A kiosk is the screen of the machine running quietcheck: its browser talks to loopback. */
export function onKiosk(): boolean {
  return ['127.0.0.1', 'localhost', '[::1]', '::1'].includes(location.hostname);
}

export function UsbSave({ id, lang, what, onClose }: { id: string; lang: string; what: 'zip' | 'pdf'; onClose: () => void }) {
  const [drives, setDrives] = useState<Drive[] | null>(null);
  const [chosen, setChosen] = useState<string | null>(null);
  const [protect, setProtect] = useState(true);
  const [pass, setPass] = useState('');
  const [show, setShow] = useState(false);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<UsbWritten | null>(null);
  const [error, setError] = useState<string | null>(null);

  const look = (): void => {
    setDrives(null);
    setError(null);
    void api.drives().then(
      (r) => {
        const usable = r.drives.filter((d) => !d.readOnly);
        setDrives(r.drives);
        setChosen((c) => (c !== null && usable.some((d) => d.mountPoint === c) ? c : (usable[0]?.mountPoint ?? null)));
      },
      (err: unknown) => {
        setDrives([]);
        setError(failure(err));
      },
    );
  };
  useEffect(look, []);

  const save = async (e: Event): Promise<void> => {
    e.preventDefault();
    if (chosen === null) return;
    if (what === 'zip' && protect && pass.length < MIN_PASSPHRASE) {
      setError(t('ui.kiosk2.usb.passShort', { min: MIN_PASSPHRASE }));
      return;
    }
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const r =
        what === 'pdf'
          ? await api.pdfToUsb(id, { mountPoint: chosen, lang })
          : await api.exportToUsb(id, { mountPoint: chosen, lang, ...(protect ? { passphrase: pass } : {}) });
      setDone(r);
      setPass('');
    } catch (err) {
      setError(failure(err));
    } finally {
      setBusy(false);
    }
  };

  const title = what === 'pdf' ? t('ui.kiosk2.usb.pdfTitle') : t('ui.kiosk2.usb.title');
  return (
    <section class="usb card no-print" aria-labelledby="usb-h" data-testid="usb-panel">
      <h2 id="usb-h">{title}</h2>
      {drives === null && <Spinner label={t('ui.kiosk2.usb.looking')} />}
      {drives !== null && drives.filter((d) => !d.readOnly).length === 0 && (
        <>
          <Notice kind="info">
            <span data-testid="no-drive">{drives.length > 0 ? t('ui.kiosk2.usb.readOnly') : t('ui.kiosk2.usb.none')}</span>
          </Notice>
          <div class="actions">
            <button type="button" class="primary" onClick={look} data-testid="usb-look">{t('ui.kiosk2.usb.lookAgain')}</button>
            <button type="button" class="secondary" onClick={onClose}>{t('ui.kiosk2.usb.close')}</button>
          </div>
        </>
      )}
      {drives !== null && drives.some((d) => !d.readOnly) && (
        <form onSubmit={(e) => void save(e)} class="stack" noValidate>
          <fieldset class="drives">
            <legend>{t('ui.kiosk2.usb.drive')}</legend>
            {drives
              .filter((d) => !d.readOnly)
              .map((d) => (
                <label class={chosen === d.mountPoint ? 'drive on' : 'drive'} key={d.mountPoint}>
                  <input type="radio" name="drive" value={d.mountPoint} checked={chosen === d.mountPoint} onChange={() => setChosen(d.mountPoint)} data-testid="usb-drive" />
                  <span>
                    <strong>{driveName(d)}</strong>
                    {d.freeBytes !== null && <span class="muted small"> {t('ui.kiosk2.usb.free', { size: fmtBytes(d.freeBytes) })}</span>}
                  </span>
                </label>
              ))}
          </fieldset>
          {what === 'zip' && (
            <>
              <label class="check">
                <input type="checkbox" checked={protect} onChange={(e) => setProtect((e.currentTarget as HTMLInputElement).checked)} data-testid="usb-protect" />
                <span>
                  <strong>{t('ui.kiosk2.usb.protect')}</strong>
                  <small class="help">{t('ui.kiosk2.usb.protectHelp')}</small>
                </span>
              </label>
              {protect && (
                <div class="pass-row">
                  <label class="field grow">
                    <span>{t('ui.kiosk2.usb.passphrase')}</span>
                    <input
                      type={(show ? 'text' : 'password') as 'text'}
                      autoComplete="off"
                      autoCapitalize="off"
                      spellcheck={false}
                      value={pass}
                      onInput={(e) => setPass((e.currentTarget as HTMLInputElement).value)}
                      data-testid="usb-passphrase"
                      aria-describedby="usb-pass-help"
                    />
                    <small id="usb-pass-help" class="help">{t('ui.kiosk2.usb.passHelp', { min: MIN_PASSPHRASE })}</small>
                  </label>
                  <label class="check small">
                    <input type="checkbox" checked={show} onChange={(e) => setShow((e.currentTarget as HTMLInputElement).checked)} />
                    <span>{t('ui.kiosk2.usb.show')}</span>
                  </label>
                </div>
              )}
            </>
          )}
          <div class="actions">
            <button type="submit" class="primary" disabled={busy || chosen === null} data-testid="usb-save">
              {busy ? t('ui.kiosk2.usb.saving') : t('ui.kiosk2.usb.save')}
            </button>
            <button type="button" class="secondary" onClick={onClose}>{t('ui.kiosk2.usb.close')}</button>
          </div>
        </form>
      )}
      {done && (
        <Notice kind="ok">
          <span data-testid="usb-done">
            {t('ui.kiosk2.usb.saved', { file: done.fileName, drive: done.label ?? done.mountPoint, size: fmtBytes(done.bytes) })}{' '}
            {done.encrypted ? t('ui.kiosk2.usb.savedLocked') : ''} {t('ui.kiosk2.usb.remove')}
          </span>
        </Notice>
      )}
      {error && <Notice kind="error">{error}</Notice>}
    </section>
  );
}
