/**
 * Hotspot routes: what the kiosk shows for the phone to join (network name, password, QR
 * code), and the admin's hotspot settings and uplinks (Ethernet, or a Wi-Fi network to join).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HotspotBusyError, HotspotConfigError, HotspotSystemError, type HotspotService } from '../../hotspot/service.js';
import type { HotspotSettings } from '../../hotspot/settings.js';
import { joinWifi, listUplinks, uplinkStatus } from '../../hotspot/uplinks.js';
import { ERROR_SCHEMA, sendError } from '../errors.js';
import { HOTSPOT_ADMIN_SCHEMA, HOTSPOT_KIOSK_SCHEMA, HOTSPOT_SETTINGS_PROPS, UPLINK_STATUS_SCHEMA, UPLINKS_SCHEMA, WIFI_JOINED_SCHEMA } from '../schemas/hotspot.js';
import type { HotspotAdminWire, HotspotKioskWire, UplinksWire, UplinkStatusWire, WifiJoinedWire } from '../schemas/hotspot.js';

type Guard = (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

/** The HTTP status and error code for a hotspot failure, or null when `err` is not one. */
export function hotspotError(err: unknown): { status: number; code: string; message: string } | null {
  if (err instanceof HotspotBusyError) return { status: 409, code: 'hotspot-busy', message: err.message };
  if (err instanceof HotspotConfigError) return { status: 400, code: 'hotspot-settings', message: err.message };
  if (err instanceof HotspotSystemError) return { status: err.code === 'bad-password' || err.code === 'no-such-network' ? 400 : 503, code: err.code, message: err.message };
  return null;
}

const ERRORS = { 400: ERROR_SCHEMA, 401: ERROR_SCHEMA, 403: ERROR_SCHEMA, 404: ERROR_SCHEMA, 409: ERROR_SCHEMA, 503: ERROR_SCHEMA } as const;

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
      schema: { tags: ['hotspot'], summary: 'the hotspot the phone joins: network name, password and QR code, state and joined devices', response: { 200: HOTSPOT_KIOSK_SCHEMA, ...ERRORS } },
    },
    async (): Promise<HotspotKioskWire> => ({ ...hotspot.status(), defaultMode: hotspot.settings().mode, configured: hotspot.settings().iface !== null, qrSvg: await hotspot.qrSvg() }),
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

  app.get('/api/admin/hotspot', { preHandler: admin, schema: { tags: ['admin'], summary: 'hotspot settings, the backend that will be used and why, and the state', response: { 200: HOTSPOT_ADMIN_SCHEMA, ...ERRORS } } }, async (): Promise<HotspotAdminWire> => ({
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
        body: { type: 'object', additionalProperties: false, properties: HOTSPOT_SETTINGS_PROPS },
        response: { 200: HOTSPOT_ADMIN_SCHEMA, ...ERRORS },
      },
    },
    async (req, reply): Promise<HotspotAdminWire | FastifyReply> => {
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
    async (req): Promise<UplinksWire> => listUplinks({ exclude: hotspot.settings().iface }, req.query.scan ?? true),
  );

  app.get('/api/admin/uplinks/status', { preHandler: admin, schema: { tags: ['admin'], summary: 'which uplink is in use', response: { 200: UPLINK_STATUS_SCHEMA, ...ERRORS } } }, async (): Promise<UplinkStatusWire> =>
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
        response: { 200: WIFI_JOINED_SCHEMA, ...ERRORS },
      },
    },
    async (req, reply): Promise<WifiJoinedWire | FastifyReply> => {
      try {
        return await joinWifi({ iface: req.body.iface, ssid: req.body.ssid, password: req.body.password ?? null, exclude: hotspot.settings().iface, secretDir: hotspot.dir });
      } catch (err) {
        return fail(reply, err);
      }
    },
  );
}
