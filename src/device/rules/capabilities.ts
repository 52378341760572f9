import type { DeviceApp } from '../facts.js';

/**
 * What an app can read or do, in plain categories, from the permissions Android granted it and the
 * special access it holds. The report words each category in the reader's language.
 */

export const CAPABILITIES = ['messages', 'calls', 'contacts', 'location', 'microphone', 'camera', 'files', 'screen', 'notifications', 'lock'] as const;
export type Capability = (typeof CAPABILITIES)[number];

const BY_PERMISSION: Record<string, Capability> = {
  'android.permission.READ_SMS': 'messages',
  'android.permission.RECEIVE_SMS': 'messages',
  'android.permission.RECEIVE_MMS': 'messages',
  'android.permission.SEND_SMS': 'messages',
  'android.permission.READ_CALL_LOG': 'calls',
  'android.permission.PROCESS_OUTGOING_CALLS': 'calls',
  'android.permission.READ_CONTACTS': 'contacts',
  'android.permission.ACCESS_FINE_LOCATION': 'location',
  'android.permission.ACCESS_COARSE_LOCATION': 'location',
  'android.permission.ACCESS_BACKGROUND_LOCATION': 'location',
  'android.permission.RECORD_AUDIO': 'microphone',
  'android.permission.CAMERA': 'camera',
  'android.permission.READ_EXTERNAL_STORAGE': 'files',
  'android.permission.MANAGE_EXTERNAL_STORAGE': 'files',
  'android.permission.READ_MEDIA_IMAGES': 'files',
  'android.permission.READ_MEDIA_VIDEO': 'files',
};

/** App-op names that say the same where permissions are not known. */
const BY_OP: Record<string, Capability> = {
  READ_SMS: 'messages',
  RECEIVE_SMS: 'messages',
  READ_CALL_LOG: 'calls',
  READ_CONTACTS: 'contacts',
  FINE_LOCATION: 'location',
  COARSE_LOCATION: 'location',
  RECORD_AUDIO: 'microphone',
  CAMERA: 'camera',
  MANAGE_EXTERNAL_STORAGE: 'files',
};

/** Permissions whose access a boot-time app can use without the person opening it. */
export const SENSITIVE: ReadonlySet<Capability> = new Set(['messages', 'calls', 'location', 'microphone', 'camera']);

export interface SpecialAccess {
  accessibility: boolean;
  notifications: boolean;
  admin: boolean;
}

export function capabilitiesOf(app: DeviceApp, access: SpecialAccess): Capability[] {
  const out = new Set<Capability>();
  if (app.granted !== null) {
    for (const p of app.granted) {
      const c = BY_PERMISSION[p];
      if (c) out.add(c);
    }
  } else {
    for (const op of app.allowedOps) {
      const c = BY_OP[op];
      if (c) out.add(c);
    }
  }
  if (access.accessibility) out.add('screen');
  if (access.notifications) out.add('notifications');
  if (access.admin) out.add('lock');
  return CAPABILITIES.filter((c) => out.has(c));
}
