/** Run-time settings: the admin's view and changes (retention, the kiosk's options), and what the kiosk reads of them. */
import type { FastifyInstance } from 'fastify';
import { GENERAL_SETTINGS_PROPS, readGeneralSettings, writeGeneralSettings } from '../../store/general-settings.js';
import type { RouteContext } from '../context.js';
import { ERRORS, sendError } from '../errors.js';
import { KIOSK_SETTINGS_SCHEMA, SETTINGS_SCHEMA, type KioskSettingsWire, type SettingsWire } from '../schemas/admin.js';

export const RETENTION_SETTING = 'retentionDays';

/** The retention period in force: the admin's, else the configuration's. */
export function retentionDays(ctx: Pick<RouteContext, 'store' | 'cfg'>): number {
  const v = ctx.store.getSetting(RETENTION_SETTING);
  return v !== null && /^\d+$/.test(v) ? Number(v) : ctx.cfg.retentionDays;
}

export function registerSettingsRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { cfg, store, admin } = ctx;
  const settingsView = (): SettingsWire => ({
    retentionDays: retentionDays(ctx),
    maxUploadBytes: cfg.maxUploadBytes,
    allowRemoteKiosk: cfg.allowRemoteKiosk,
    allowRemoteAdmin: cfg.allowRemoteAdmin,
    interface: cfg.interface,
    ...readGeneralSettings(store, cfg.lang),
  });

  app.get('/api/admin/settings', { preHandler: admin, schema: { tags: ['admin'], response: { 200: SETTINGS_SCHEMA, ...ERRORS } } }, async () => settingsView());

  app.put<{ Body: { retentionDays?: number } & Parameters<typeof writeGeneralSettings>[1] }>(
    '/api/admin/settings',
    {
      preHandler: admin,
      schema: {
        tags: ['admin'],
        summary: 'change run-time settings (the fields given); a shorter retention applies at once',
        body: { type: 'object', additionalProperties: false, properties: { retentionDays: { type: 'integer', minimum: 0, maximum: 36500 }, ...GENERAL_SETTINGS_PROPS } },
        response: { 200: SETTINGS_SCHEMA, ...ERRORS },
      },
    },
    async (req, reply) => {
      const { retentionDays: days, ...general } = req.body ?? {};
      try {
        writeGeneralSettings(store, general);
      } catch (err) {
        if (err instanceof RangeError) return sendError(reply, 400, 'bad-request', err.message);
        throw err;
      }
      if (days !== undefined) {
        store.setSetting(RETENTION_SETTING, String(days));
        await ctx.sweep();
      }
      return settingsView();
    },
  );

  app.get(
    '/api/kiosk/settings',
    {
      preHandler: ctx.kiosk,
      schema: {
        tags: ['checks'],
        summary: "the admin's choices for the kiosk: proposed check length, language, which actions it offers, when it returns to its welcome screen",
        response: { 200: KIOSK_SETTINGS_SCHEMA, ...ERRORS },
      },
    },
    async (): Promise<KioskSettingsWire> => readGeneralSettings(store, cfg.lang),
  );
}
