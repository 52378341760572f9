/**
 * The phone joins this device's Wi-Fi: its name and password in large type and a QR code for the
 * camera. Shown only where the server offers a hotspot; elsewhere the connect screen names the
 * network interface the check listens on.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { t } from '../i18n.ts';

export interface HotspotInfo {
  ssid: string;
  password: string | null;
}

/** The Wi-Fi QR format phones' cameras read; \ ; , : " are escaped. */
export function wifiQrText(h: HotspotInfo): string {
  const esc = (s: string): string => s.replace(/([\\;,:"])/g, '\\$1');
  return h.password ? `WIFI:T:WPA;S:${esc(h.ssid)};P:${esc(h.password)};;` : `WIFI:T:nopass;S:${esc(h.ssid)};;`;
}

/** `children` go under the name and password, beside the QR code (the connect screen's "waiting" and Cancel). */
export function Hotspot({ info, children }: { info: HotspotInfo; children?: ComponentChildren }) {
  const [svg, setSvg] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void import('qrcode')
      .then((q) => q.toString(wifiQrText(info), { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }))
      .then((s) => live && setSvg(s))
      .catch(() => live && setSvg(null));
    return () => {
      live = false;
    };
  }, [info.ssid, info.password]);
  return (
    <div class="hotspot">
      {/* The space beside the QR code holds what would otherwise push Cancel off an 800×480 screen. */}
      <div class="hotspot-text">
        <dl class="wifi">
          <dt>{t('ui.connect.ssid')}</dt>
          <dd class="huge" data-testid="ssid">{info.ssid}</dd>
          {info.password && (
            <>
              <dt>{t('ui.connect.password')}</dt>
              <dd class="huge mono" data-testid="wifi-password">{info.password}</dd>
            </>
          )}
        </dl>
        {children}
      </div>
      {svg && (
        <figure class="qr">
          {/* The SVG comes from the qrcode library, made from the name and password above. */}
          <div class="qr-img" role="img" aria-label={t('ui.connect.qr')} dangerouslySetInnerHTML={{ __html: svg }} />
          <figcaption>{t('ui.connect.qr')}</figcaption>
        </figure>
      )}
    </div>
  );
}
