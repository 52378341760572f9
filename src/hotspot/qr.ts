/**
 * The Wi-Fi QR code a phone's camera understands: `WIFI:T:WPA;S:<ssid>;P:<password>;;` (the ZXing
 * "WIFI:" format that Android and iOS read), with `\`, `;`, `,`, `:` and `"` escaped by a backslash.
 */
import QRCode from 'qrcode';

export function escapeWifiField(s: string): string {
  return s.replace(/([\\;,:"])/g, '\\$1');
}

export function wifiQrText(ssid: string, password: string): string {
  return `WIFI:T:WPA;S:${escapeWifiField(ssid)};P:${escapeWifiField(password)};;`;
}

/** The QR code as a standalone SVG document. */
export async function wifiQrSvg(ssid: string, password: string): Promise<string> {
  return QRCode.toString(wifiQrText(ssid, password), { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}
