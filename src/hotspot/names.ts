/**
 * Network names and passwords for the hotspot. The name must look like any home or phone hotspot (a
 * survivor's phone remembers networks it joined; "quietcheck" in that list would tell whoever reads the
 * phone that it was checked), and the password must be long and random.
 */
import { randomInt } from 'node:crypto';

/** Brand-free words seen in ordinary router and phone hotspot names. */
const HOME_WORDS = [
  'Home', 'House', 'Flat', 'Family', 'Living', 'Kitchen', 'Garden', 'Studio', 'Office', 'Guest',
  'Loft', 'Attic', 'Cottage', 'Apartment', 'Casa', 'Maison', 'Haus', 'Villa', 'Lounge', 'Den',
] as const;
const PHONE_WORDS = ['Android', 'Phone', 'Mobile', 'Hotspot', 'MyWifi', 'Galaxy', 'Pixel', 'Redmi', 'Moto', 'Nokia'] as const;
const SEPARATORS = ['-', '_', ' '] as const;

const HEX = '0123456789ABCDEF';
/** No 0/O, 1/l/I: the password may be typed by hand from the kiosk's screen. */
const PASSWORD_ALPHABET = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

function pick<T>(list: readonly T[]): T {
  return list[randomInt(list.length)]!;
}

function hex(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += HEX[randomInt(16)];
  return s;
}

/** A name such as "Home-4F2A", "Android_7C1E" or "Garden 93B0". */
export function randomSsid(): string {
  const home = randomInt(3) !== 0;
  const word = home ? pick(HOME_WORDS) : pick(PHONE_WORDS);
  return `${word}${pick(SEPARATORS)}${hex(4)}`;
}

/** A WPA2 passphrase: `length` (12 to 63) characters from an alphabet without look-alike characters. */
export function randomPassword(length = 16): string {
  if (!Number.isInteger(length) || length < 12 || length > 63) throw new RangeError('the password length must be 12 to 63');
  let s = '';
  for (let i = 0; i < length; i++) s += PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)];
  return s;
}

/** Why an SSID cannot be used, or null: 1 to 32 bytes of UTF-8, printable, no newline. */
export function ssidProblem(ssid: string): string | null {
  const n = Buffer.byteLength(ssid, 'utf8');
  if (n < 1 || n > 32) return 'the network name must be 1 to 32 bytes long';
  if (/[\x00-\x1f\x7f]/.test(ssid)) return 'the network name must not contain control characters';
  return null;
}

/** Why a WPA2 passphrase cannot be used, or null: 8 to 63 printable ASCII characters (IEEE 802.11i). */
export function passwordProblem(password: string): string | null {
  if (password.length < 8 || password.length > 63) return 'the Wi-Fi password must be 8 to 63 characters long';
  if (!/^[\x20-\x7e]+$/.test(password)) return 'the Wi-Fi password must be printable ASCII characters';
  return null;
}
