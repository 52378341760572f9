/**
 * The wire shapes of quietcheck's own hotspot: what the kiosk shows for the phone to join, the admin's
 * settings and state, and the uplinks (Ethernet, Wi-Fi networks in range).
 */
import type { FromSchema } from 'json-schema-to-ts';
import { BACKENDS, HOTSPOT_MODES } from '../../hotspot/choices.js';

export const JOINED_DEVICE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['mac', 'ip', 'hostname', 'at'],
  properties: { mac: { type: 'string' }, ip: { type: 'string' }, hostname: { type: ['string', 'null'] }, at: { type: 'string' } },
} as const;

export const HOTSPOT_STATUS_PROPS = {
  state: { type: 'string', enum: ['off', 'starting', 'on', 'stopping', 'failed'] },
  mode: { type: ['string', 'null'], enum: ['hotspot', 'sinkhole', null] },
  backend: { type: ['string', 'null'] },
  iface: { type: ['string', 'null'] },
  uplink: { type: ['string', 'null'] },
  address: { type: ['string', 'null'] },
  ssid: { type: ['string', 'null'] },
  password: { type: ['string', 'null'] },
  security: { type: ['string', 'null'] },
  qrText: { type: ['string', 'null'], description: 'WIFI:T:WPA;S:…;P:…;; as encoded in the QR code' },
  devices: { type: 'array', items: JOINED_DEVICE_SCHEMA },
  sinkholePorts: { type: 'array', items: { type: 'integer' } },
  error: { type: ['string', 'null'] },
  startedAt: { type: ['string', 'null'] },
} as const;

export const HOTSPOT_KIOSK_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['state', 'mode', 'backend', 'iface', 'uplink', 'address', 'ssid', 'password', 'security', 'qrText', 'devices', 'sinkholePorts', 'error', 'startedAt', 'defaultMode', 'configured', 'qrSvg'],
  properties: {
    ...HOTSPOT_STATUS_PROPS,
    defaultMode: { type: 'string', enum: [...HOTSPOT_MODES], description: 'the admin’s default for a check on quietcheck’s own network (hotspot: online; sinkhole)' },
    configured: { type: 'boolean', description: 'a hotspot interface is set up, so a check on quietcheck’s own network can start' },
    qrSvg: { type: ['string', 'null'], description: 'the QR code that lets the phone join by camera, as an SVG document' },
  },
} as const;

export const HOTSPOT_SETTINGS_PROPS = {
  iface: { type: ['string', 'null'], maxLength: 15, description: 'the interface the phone joins (a Wi-Fi adapter, or a wired/USB one)' },
  mode: { type: 'string', enum: [...HOTSPOT_MODES], description: 'the kiosk’s default on quietcheck’s own network: hotspot (online, through the uplink) or sinkhole (no internet)' },
  backend: { type: 'string', enum: [...BACKENDS], description: 'auto: NetworkManager when it manages the adapter, else hostapd; wired for a cable or USB link' },
  address: { type: 'string', description: 'the hotspot’s own private IPv4 address' },
  prefix: { type: 'integer', minimum: 16, maximum: 28 },
  channel: { type: 'integer' },
  country: { type: 'string', pattern: '^[A-Z]{2}$' },
  uplink: { type: ['string', 'null'], maxLength: 15, description: 'null: the interface of the default route' },
  ssid: { type: ['string', 'null'], maxLength: 32, description: 'null: a new ordinary-looking name for each check' },
  password: { type: ['string', 'null'], maxLength: 63, description: 'null: a new random password for each check' },
  dns: { type: 'array', items: { type: 'string' }, maxItems: 4, description: 'resolvers to forward to; empty: the machine’s' },
} as const;

export const HOTSPOT_ADMIN_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['settings', 'backend', 'status', 'sources'],
  properties: {
    settings: { type: 'object', additionalProperties: false, required: ['iface', 'mode', 'backend', 'address', 'prefix', 'channel', 'country', 'uplink', 'ssid', 'password', 'dns'], properties: HOTSPOT_SETTINGS_PROPS },
    backend: { type: 'object', additionalProperties: false, required: ['backend', 'reason'], properties: { backend: { type: ['string', 'null'] }, reason: { type: 'string' } } },
    status: { type: 'object', additionalProperties: false, required: ['state', 'mode', 'backend', 'iface', 'uplink', 'address', 'ssid', 'password', 'security', 'qrText', 'devices', 'sinkholePorts', 'error', 'startedAt'], properties: HOTSPOT_STATUS_PROPS },
    sources: {
      type: 'object',
      additionalProperties: { type: 'string', enum: ['default', 'config file', 'environment', 'admin', 'command line'] },
      description: 'where each setting in effect comes from; "command line" ones cannot be changed here',
    },
  },
} as const;

export const WIFI_NETWORK_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['ssid', 'bssid', 'signal', 'dbm', 'security', 'channel', 'inUse', 'device'],
  properties: {
    ssid: { type: 'string' }, bssid: { type: ['string', 'null'] }, signal: { type: 'integer' }, dbm: { type: ['number', 'null'] },
    security: { type: 'string' }, channel: { type: ['integer', 'null'] }, inUse: { type: 'boolean' }, device: { type: ['string', 'null'] },
  },
} as const;

export const ROUTE_SCHEMA = { type: ['object', 'null'], additionalProperties: false, required: ['iface', 'gateway'], properties: { iface: { type: 'string' }, gateway: { type: ['string', 'null'] } } } as const;

export const UPLINKS_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['defaultRoute', 'ethernet', 'wifiAdapters', 'wifiNetworks', 'scanner', 'notes'],
  properties: {
    defaultRoute: ROUTE_SCHEMA,
    ethernet: {
      type: 'array',
      items: { type: 'object', additionalProperties: false, required: ['iface', 'carrier', 'addresses', 'isDefault'], properties: { iface: { type: 'string' }, carrier: { type: 'boolean' }, addresses: { type: 'array', items: { type: 'string' } }, isDefault: { type: 'boolean' } } },
    },
    wifiAdapters: {
      type: 'array',
      items: { type: 'object', additionalProperties: false, required: ['iface', 'state', 'connection', 'isDefault'], properties: { iface: { type: 'string' }, state: { type: 'string' }, connection: { type: ['string', 'null'] }, isDefault: { type: 'boolean' } } },
    },
    wifiNetworks: { type: 'array', items: WIFI_NETWORK_SCHEMA },
    scanner: { type: 'string' },
    notes: { type: 'array', items: { type: 'string' } },
  },
} as const;

export const UPLINK_STATUS_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['defaultRoute', 'online', 'networkManager', 'devices'],
  properties: {
    defaultRoute: ROUTE_SCHEMA,
    online: { type: 'boolean' },
    networkManager: { type: 'boolean' },
    devices: {
      type: 'array',
      items: { type: 'object', additionalProperties: false, required: ['device', 'type', 'state', 'connection'], properties: { device: { type: 'string' }, type: { type: 'string' }, state: { type: 'string' }, connection: { type: ['string', 'null'] } } },
    },
  },
} as const;

export const WIFI_JOINED_SCHEMA = { type: 'object', additionalProperties: false, required: ['iface', 'ssid', 'state'], properties: { iface: { type: 'string' }, ssid: { type: 'string' }, state: { type: 'string' } } } as const;

export type HotspotKioskWire = FromSchema<typeof HOTSPOT_KIOSK_SCHEMA>;
export type HotspotAdminWire = FromSchema<typeof HOTSPOT_ADMIN_SCHEMA>;
export type HotspotSettingsWire = HotspotAdminWire['settings'];
export type WifiNetworkWire = FromSchema<typeof WIFI_NETWORK_SCHEMA>;
export type UplinksWire = FromSchema<typeof UPLINKS_SCHEMA>;
export type UplinkStatusWire = FromSchema<typeof UPLINK_STATUS_SCHEMA>;
export type WifiJoinedWire = FromSchema<typeof WIFI_JOINED_SCHEMA>;
