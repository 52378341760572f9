/** The wire shapes of the admin account and of the run-time settings. */
import type { FromSchema } from 'json-schema-to-ts';
import { GENERAL_SETTING_KEYS, GENERAL_SETTINGS_PROPS } from '../../store/general-settings.js';

export const SESSION_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['csrfToken', 'expiresAt'],
  properties: { csrfToken: { type: 'string' }, expiresAt: { type: 'string' } },
} as const;

export const DELETED_SCHEMA = { type: 'object', additionalProperties: false, required: ['deleted'], properties: { deleted: { type: 'integer' } } } as const;

/** The kiosk's options, readable without a login. */
export const KIOSK_SETTINGS_SCHEMA = { type: 'object', additionalProperties: false, required: GENERAL_SETTING_KEYS, properties: GENERAL_SETTINGS_PROPS } as const;

export const SETTINGS_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['retentionDays', 'maxUploadBytes', 'allowRemoteKiosk', 'allowRemoteAdmin', 'interface', ...GENERAL_SETTING_KEYS],
  properties: {
    retentionDays: { type: 'integer' },
    maxUploadBytes: { type: 'integer' },
    allowRemoteKiosk: { type: 'boolean' },
    allowRemoteAdmin: { type: 'boolean' },
    interface: { type: ['string', 'null'] },
    ...GENERAL_SETTINGS_PROPS,
  },
} as const;

export type SessionWire = FromSchema<typeof SESSION_SCHEMA>;
export type DeletedWire = FromSchema<typeof DELETED_SCHEMA>;
export type KioskSettingsWire = FromSchema<typeof KIOSK_SETTINGS_SCHEMA>;
export type SettingsWire = FromSchema<typeof SETTINGS_SCHEMA>;
