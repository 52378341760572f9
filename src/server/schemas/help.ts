/** The wire shape of the service's own contact and helplines, per language. */
import type { FromSchema } from 'json-schema-to-ts';

export const HELP_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['contact', 'helplines', 'fromService'],
  properties: {
    contact: { type: 'string', description: "the service's own contact (name, phone, hours); '' when not set" },
    helplines: { type: 'array', items: { type: 'string' }, description: 'one helpline per entry, as shown' },
    fromService: { type: 'boolean', description: "false: the service set none for this language and these are quietcheck's examples" },
  },
} as const;

/** Every language's contact and helplines, by language code. */
export const HELP_BY_LANG_SCHEMA = { type: 'object', additionalProperties: HELP_SCHEMA } as const;

export type LocalHelpWire = FromSchema<typeof HELP_SCHEMA>;
export type HelpByLangWire = FromSchema<typeof HELP_BY_LANG_SCHEMA>;
