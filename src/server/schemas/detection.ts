/**
 * The wire shape of the detection settings (detection.yaml over the built-in defaults). Each setting is
 * typed like its default; a test holds this list to DEFAULT_DETECTION_CONFIG, so a setting added there
 * without being added here fails.
 */
import type { FromSchema } from 'json-schema-to-ts';

const STRINGS = { type: 'array', items: { type: 'string' } } as const;
const NUMBERS = { type: 'array', items: { type: 'number' } } as const;
const NUMBER = { type: 'number' } as const;

export const DETECTION_CONFIG_PROPS = {
  disabled: STRINGS,
  freeIssuers: STRINGS,
  suspectTlds: STRINGS,
  standardTlsPorts: NUMBERS,
  standardHttpPorts: NUMBERS,
  beaconMinContacts: NUMBER,
  beaconMaxJitter: NUMBER,
  uploadMinBytes: NUMBER,
  uploadRatio: NUMBER,
  hotspotName: { type: ['string', 'null'] },
  allowNames: STRINGS,
  beaconMinPeriodSeconds: NUMBER,
  beaconBurstSeconds: NUMBER,
  maxEvidence: NUMBER,
  commonTcpPorts: NUMBERS,
  knownUdpPorts: NUMBERS,
  icmpMinBytes: NUMBER,
  inconclusiveMinSeconds: NUMBER,
  inconclusiveMinBytes: NUMBER,
  dohResolvers: STRINGS,
} as const;

const SETTING_NAMES = [
  'disabled', 'freeIssuers', 'suspectTlds', 'standardTlsPorts', 'standardHttpPorts', 'beaconMinContacts', 'beaconMaxJitter', 'uploadMinBytes', 'uploadRatio', 'hotspotName', 'allowNames', 'beaconMinPeriodSeconds', 'beaconBurstSeconds', 'maxEvidence', 'commonTcpPorts', 'knownUdpPorts', 'icmpMinBytes', 'inconclusiveMinSeconds', 'inconclusiveMinBytes', 'dohResolvers',
] as const satisfies readonly (keyof typeof DETECTION_CONFIG_PROPS)[];

/** Set per check from quietcheck's own hotspot, so a fixed value from the admin page would only be wrong. */
export const PER_CHECK_SETTINGS = ['hotspotName'] as const;

const CONFIG_SCHEMA = { type: 'object', additionalProperties: false, properties: DETECTION_CONFIG_PROPS } as const;
/** Every setting, each present: the settings in force and the built-in ones. */
const FULL_CONFIG_SCHEMA = { ...CONFIG_SCHEMA, required: SETTING_NAMES } as const;
const { hotspotName: _perCheck, ...OVERRIDES_PROPS } = DETECTION_CONFIG_PROPS;
/** What the admin may set (PUT /api/admin/detection): every setting but those set per check. */
export const DETECTION_OVERRIDES_PROPS = OVERRIDES_PROPS;

export const DETECTION_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['effective', 'defaults', 'overrides', 'rules', 'error'],
  properties: {
    effective: { ...FULL_CONFIG_SCHEMA, description: 'the settings the next analysis uses: the defaults with the overrides over them' },
    defaults: { ...FULL_CONFIG_SCHEMA, description: 'the built-in settings' },
    overrides: { ...CONFIG_SCHEMA, description: 'what detection.yaml sets; lists replace the default list' },
    rules: {
      type: 'array',
      description: 'every rule id detection can report, for `disabled`',
      items: { type: 'object', additionalProperties: false, required: ['id', 'family'], properties: { id: { type: 'string' }, family: { type: 'string', enum: ['IOC', 'PROTO', 'SSL', 'BEH', 'ADV', 'DEV'] } } },
    },
    error: { type: ['string', 'null'], description: 'why detection.yaml cannot be used; the defaults are in force meanwhile' },
  },
} as const;

export type DetectionConfigWire = FromSchema<typeof FULL_CONFIG_SCHEMA>;
export type DetectionOverridesWire = FromSchema<typeof CONFIG_SCHEMA>;
export type DetectionWire = FromSchema<typeof DETECTION_SCHEMA>;
