/**
 * Admin routes for the detection settings: the data directory's detection.yaml, which `quietcheck
 * analyze` reads too, merged over the built-in defaults. The server reads the file again at each
 * analysis (see DetectionSettings), so a change applies to the next check.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DEFAULT_DETECTION_CONFIG } from '../../detect/config.js';
import { checkDetectionSettings, DETECTION_RULES, DetectionConfigError, type DetectionSettings, type DetectionState } from '../../detect/config-file.js';
import type { DetectionConfig } from '../../detect/types.js';
import { ERROR_SCHEMA, sendError } from '../errors.js';
import { DETECTION_OVERRIDES_PROPS, DETECTION_SCHEMA, PER_CHECK_SETTINGS, type DetectionWire } from '../schemas/detection.js';

/** Set per check from quietcheck's own hotspot, so a fixed value from the admin page would only be wrong. */
const PER_CHECK = new Set<string>(PER_CHECK_SETTINGS);

type Guard = (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

const ERRORS = { 400: ERROR_SCHEMA, 401: ERROR_SCHEMA, 403: ERROR_SCHEMA, 404: ERROR_SCHEMA, 409: ERROR_SCHEMA } as const;

function view(state: DetectionState): DetectionWire {
  return {
    effective: state.config,
    defaults: DEFAULT_DETECTION_CONFIG,
    overrides: state.overrides,
    rules: [...DETECTION_RULES],
    error: state.error,
  };
}

export interface DetectionRoutesOptions {
  detection: DetectionSettings;
  admin: Guard;
  log?: (msg: string) => void;
}

export function registerDetectionRoutes(app: FastifyInstance, o: DetectionRoutesOptions): void {
  const { detection, admin } = o;
  const log = o.log ?? (() => {});

  app.get(
    '/api/admin/detection',
    {
      preHandler: admin,
      schema: { tags: ['admin'], summary: 'the detection settings: in force, built in, set in detection.yaml, and the rule ids', response: { 200: DETECTION_SCHEMA, ...ERRORS } },
    },
    async () => view(detection.current()),
  );

  app.put<{ Body: Partial<DetectionConfig> }>(
    '/api/admin/detection',
    {
      preHandler: admin,
      // The schema documents the body; the settings themselves are checked by checkDetectionSettings, as
      // `quietcheck analyze` checks the file. The default validator would coerce "7" into 7 and a single
      // value into a list, accepting here what the file refuses.
      validatorCompiler: () => (data: unknown) =>
        data !== null && typeof data === 'object' && !Array.isArray(data)
          ? true
          : { error: Object.assign(new Error('the body must be an object of detection settings'), { statusCode: 400 }) },
      schema: {
        tags: ['admin'],
        summary: 'replace the detection overrides (the whole set: what is left out goes back to its default; {} removes detection.yaml); they apply to the next analysis',
        body: { type: 'object', additionalProperties: false, properties: DETECTION_OVERRIDES_PROPS },
        response: { 200: DETECTION_SCHEMA, ...ERRORS },
      },
    },
    async (req, reply) => {
      const body = req.body as Record<string, unknown>;
      for (const k of Object.keys(body)) {
        if (PER_CHECK.has(k)) return sendError(reply, 400, 'bad-detection-settings', `"${k}" is set for each check from quietcheck's own hotspot; it cannot be set here`);
      }
      let overrides: Partial<DetectionConfig>;
      try {
        overrides = checkDetectionSettings(body, 'detection settings');
      } catch (err) {
        if (err instanceof DetectionConfigError) return sendError(reply, 400, 'bad-detection-settings', err.message);
        throw err;
      }
      const state = detection.write(overrides);
      log(`detection settings changed by the admin: ${Object.keys(overrides).length === 0 ? 'back to the defaults' : Object.keys(overrides).sort().join(', ')}`);
      return view(state);
    },
  );
}
