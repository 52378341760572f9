/**
 * Hotspot routes: what the kiosk shows for the phone to join (network name, password, QR
 * code), and the admin's hotspot settings and uplinks (Ethernet, or a Wi-Fi network to join).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HotspotBusyError, HotspotConfigError, HotspotSystemError, type HotspotService } from '../hotspot/service.js';
import { BACKENDS, HOTSPOT_MODES, type HotspotSettings } from '../hotspot/settings.js';
import { joinWifi, listUplinks, uplinkStatus } from '../hotspot/uplinks.js';
import { ERROR_SCHEMA, sendError } from './errors.js';

type Guard = (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

/** The HTTP status and error code for a hotspot failure, or null when `err` is not one. */
export function hotspotError(err: unknown): { status: number; code: string; message: string } | null {
  if (err instanceof HotspotBusyError) return { status: 409, code: 'hotspot-busy', message: err.message };
  if (err instanceof HotspotConfigError) return { status: 400, code: 'hotspot-settings', message: err.message };
  if (err instanceof HotspotSystemError) return { status: err.code === 'bad-password' || err.code === 'no-such-network' ? 400 : 503, code: err.code, message: err.message };
  return null;
}

const ERRORS = { 400: ERROR_SCHEMA, 401: ERROR_SCHEMA, 403: ERROR_SCHEMA, 404: ERROR_SCHEMA, 409: ERROR_SCHEMA, 503: ERROR_SCHEMA } as const;

const DEVICE_SCHEMA = {
  type: 'object',
  properties: { mac: { type: 'string' }, ip: { type: 'string' }, hostname: { type: ['string', 'null'] }, at: { type: 'string' } },
} as const;

const STATUS_PROPS = {
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
  devices: { type: 'array', items: DEVICE_SCHEMA },
  sinkholePorts: { type: 'array', items: { type: 'integer' } },
  error: { type: ['string', 'null'] },
  startedAt: { type: ['string', 'null'] },
} as const;

const KIOSK_SCHEMA = {
  type: 'object',
  properties: {
    ...STATUS_PROPS,
    defaultMode: { type: 'string', enum: [...HOTSPOT_MODES], description: 'the admin’s default for a check on quietcheck’s own network (hotspot: online; sinkhole)' },
    configured: { type: 'boolean', description: 'a hotspot interface is set up, so a check on quietcheck’s own network can start' },
    qrSvg: { type: ['string', 'null'], description: 'the QR code that lets the phone join by camera, as an SVG document' },
  },
} as const;

const SETTINGS_PROPS = {
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

const ADMIN_SCHEMA = {
  type: 'object',
  properties: {
    settings: { type: 'object', properties: SETTINGS_PROPS },
    backend: { type: 'object', properties: { backend: { type: ['string', 'null'] }, reason: { type: 'string' } } },
    status: { type: 'object', properties: STATUS_PROPS },
    sources: {
      type: 'object',
      additionalProperties: { type: 'string', enum: ['default', 'config file', 'environment', 'admin', 'command line'] },
      description: 'where each setting in effect comes from; "command line" ones cannot be changed here',
    },
  },
} as const;

const NETWORK_SCHEMA = {
  type: 'object',
  properties: {
    ssid: { type: 'string' }, bssid: { type: ['string', 'null'] }, signal: { type: 'integer' }, dbm: { type: ['number', 'null'] },
    security: { type: 'string' }, channel: { type: ['integer', 'null'] }, inUse: { type: 'boolean' }, device: { type: ['string', 'null'] },
  },
} as const;

const ROUTE_SCHEMA = { type: ['object', 'null'], properties: { iface: { type: 'string' }, gateway: { type: ['string', 'null'] } } } as const;

const UPLINKS_SCHEMA = {
  type: 'object',
  properties: {
    defaultRoute: ROUTE_SCHEMA,
    ethernet: {
      type: 'array',
      items: { type: 'object', properties: { iface: { type: 'string' }, carrier: { type: 'boolean' }, addresses: { type: 'array', items: { type: 'string' } }, isDefault: { type: 'boolean' } } },
    },
    wifiAdapters: {
      type: 'array',
      items: { type: 'object', properties: { iface: { type: 'string' }, state: { type: 'string' }, connection: { type: ['string', 'null'] }, isDefault: { type: 'boolean' } } },
    },
    wifiNetworks: { type: 'array', items: NETWORK_SCHEMA },
    scanner: { type: 'string' },
    notes: { type: 'array', items: { type: 'string' } },
  },
} as const;

const UPLINK_STATUS_SCHEMA = {
  type: 'object',
  properties: {
    defaultRoute: ROUTE_SCHEMA,
    online: { type: 'boolean' },
    networkManager: { type: 'boolean' },
    devices: {
      type: 'array',
      items: { type: 'object', properties: { device: { type: 'string' }, type: { type: 'string' }, state: { type: 'string' }, connection: { type: ['string', 'null'] } } },
    },
  },
} as const;

export function registerHotspotRoutes(app: FastifyInstance, o: { hotspot: HotspotService; kiosk: Guard; admin: Guard }): void {
  const { hotspot, kiosk, admin } = o;
  const fail = (reply: FastifyReply, err: unknown): FastifyReply => {
    const e = hotspotError(err);
    if (e === null) throw err;
    return sendError(reply, e.status, e.code, e.message);
  };

  app.addHook('onClose', async () => {
    await hotspot.stop().catch(() => undefined);
  });

  app.get(
    '/api/hotspot',
    {
      preHandler: kiosk,
      schema: { tags: ['hotspot'], summary: 'the hotspot the phone joins: network name, password and QR code, state and joined devices', response: { 200: KIOSK_SCHEMA, ...ERRORS } },
    },
    async () => ({ ...hotspot.status(), defaultMode: hotspot.settings().mode, configured: hotspot.settings().iface !== null, qrSvg: await hotspot.qrSvg() }),
  );

  app.get(
    '/api/hotspot/qr.svg',
    { preHandler: kiosk, schema: { tags: ['hotspot'], summary: 'the Wi-Fi QR code alone (image/svg+xml)', response: { 200: { type: 'string' }, ...ERRORS } } },
    async (_req, reply) => {
      const svg = await hotspot.qrSvg();
      if (svg === null) return sendError(reply, 404, 'not-running', 'no Wi-Fi hotspot is running');
      return reply.type('image/svg+xml').send(svg);
    },
  );

  app.get('/api/admin/hotspot', { preHandler: admin, schema: { tags: ['admin'], summary: 'hotspot settings, the backend that will be used and why, and the state', response: { 200: ADMIN_SCHEMA, ...ERRORS } } }, async () => ({
    settings: hotspot.settings(),
    backend: await hotspot.chooseBackend(),
    status: hotspot.status(),
    sources: hotspot.effective().sources,
  }));

  app.put<{ Body: Partial<HotspotSettings> }>(
    '/api/admin/hotspot',
    {
      preHandler: admin,
      schema: {
        tags: ['admin'],
        summary: 'change hotspot settings (the fields given); they apply to the next check',
        body: { type: 'object', additionalProperties: false, properties: SETTINGS_PROPS },
        response: { 200: ADMIN_SCHEMA, ...ERRORS },
      },
    },
    async (req, reply) => {
      try {
        hotspot.updateSettings(req.body ?? {});
      } catch (err) {
        return fail(reply, err);
      }
      return { settings: hotspot.settings(), backend: await hotspot.chooseBackend(), status: hotspot.status(), sources: hotspot.effective().sources };
    },
  );

  app.post(
    '/api/admin/hotspot/stop',
    { preHandler: admin, schema: { tags: ['admin'], summary: 'take the hotspot down now (its check keeps what it captured)', response: { 204: { type: 'null' }, ...ERRORS } } },
    async (_req, reply) => {
      await hotspot.stop();
      return reply.code(204).send();
    },
  );

  app.get<{ Querystring: { scan?: boolean } }>(
    '/api/admin/uplinks',
    {
      preHandler: admin,
      schema: {
        tags: ['admin'],
        summary: 'the ways out: Ethernet interfaces with their carrier, Wi-Fi adapters, and the Wi-Fi networks in range with their signal',
        querystring: { type: 'object', additionalProperties: false, properties: { scan: { type: 'boolean', default: true } } },
        response: { 200: UPLINKS_SCHEMA, ...ERRORS },
      },
    },
    async (req) => listUplinks({ exclude: hotspot.settings().iface }, req.query.scan ?? true),
  );

  app.get('/api/admin/uplinks/status', { preHandler: admin, schema: { tags: ['admin'], summary: 'which uplink is in use', response: { 200: UPLINK_STATUS_SCHEMA, ...ERRORS } } }, async () =>
    uplinkStatus(),
  );

  app.post<{ Body: { iface: string; ssid: string; password?: string } }>(
    '/api/admin/uplinks/wifi',
    {
      preHandler: admin,
      schema: {
        tags: ['admin'],
        summary: 'join a Wi-Fi network as the uplink (NetworkManager); answers once connected',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['iface', 'ssid'],
          properties: {
            iface: { type: 'string', pattern: '^[A-Za-z0-9_.:@][A-Za-z0-9_.:@-]{0,14}$' },
            ssid: { type: 'string', minLength: 1, maxLength: 32 },
            password: { type: 'string', minLength: 8, maxLength: 63 },
          },
        },
        response: { 200: { type: 'object', properties: { iface: { type: 'string' }, ssid: { type: 'string' }, state: { type: 'string' } } }, ...ERRORS },
      },
    },
    async (req, reply) => {
      try {
        return await joinWifi({ iface: req.body.iface, ssid: req.body.ssid, password: req.body.password ?? null, exclude: hotspot.settings().iface, secretDir: hotspot.dir });
      } catch (err) {
        return fail(reply, err);
      }
    },
  );
}
