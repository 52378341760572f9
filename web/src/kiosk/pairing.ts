/**
 * A phone checked both ways on the kiosk: the first check's id rides along in the address of the
 * second check's screens (`?traffic=` on the USB screens, `?device=` through a traffic check), so its
 * result can offer both together. Nothing is kept anywhere else: a new start at the welcome screen
 * has no pairing.
 */
import { query } from '../router.ts';

const ID = /^[0-9a-f]{32}$/;

/** The id of the other check of this phone given in the address, if it is one. */
export function paired(kind: 'traffic' | 'device'): string | null {
  const v = query.value.get(kind);
  return v !== null && ID.test(v) ? v : null;
}

/** `?device=…` to carry a device check's id through a traffic check's screens, or nothing. */
export function carryDevice(): string {
  const d = paired('device');
  return d === null ? '' : `?device=${d}`;
}
