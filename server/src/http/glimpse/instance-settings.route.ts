import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.ts';
import { INSTANCE_SETTING_LIMITS, REGISTRATION_MODES } from '../../domain/instance/instance-settings.ts';
import { boolish, intish, parseInput, text, z } from '../input.ts';

const rule = text(INSTANCE_SETTING_LIMITS.rule).refine((r) => !/[\r\n]/.test(r), 'must be one line').refine((r) => r.trim() !== '', "can't be blank");
const limit = intish(0, INSTANCE_SETTING_LIMITS.perMinute).nullable().optional();

// Built once (zod compiles a schema on first use). A field left out stays; null clears it.
const patchBody = z
  .object({
    title: text(INSTANCE_SETTING_LIMITS.title).refine((t) => t.trim() !== '', "can't be blank").nullable().optional(),
    description: text(INSTANCE_SETTING_LIMITS.description).nullable().optional(),
    rules: z.array(rule).max(INSTANCE_SETTING_LIMITS.rules, `has too many items (maximum is ${INSTANCE_SETTING_LIMITS.rules})`).nullable().optional(),
    registrations: z.enum(REGISTRATION_MODES).nullable().optional(),
    default_hidden_words: boolish.nullable().optional(),
    limits: z.object({ comments: limit, story_responses: limit }).strict().optional(),
  })
  .strict();

/**
 * The instance settings of the web client's admin page (Mastodon's admin API has none): admins
 * only (access/staff-policy.ts#canManageInstance), others 403. Each setting comes with the
 * environment's default and whether the value in force is stored or that default.
 */
export function registerInstanceSettingsRoutes(app: FastifyInstance, services: Services): void {
  app.get('/api/glimpse/v1/admin/instance', { config: { auth: 'user', scope: 'admin:read' } }, async (request) => services.instanceSettings.view(request.viewer));

  app.patch('/api/glimpse/v1/admin/instance', { config: { auth: 'user', scope: 'admin:write' } }, async (request) => {
    // Who may is answered before what was sent: a moderator's bad body is a 403, not a 422.
    services.instanceSettings.authorize(request.viewer);
    return services.instanceSettings.update(request.viewer, parseInput(patchBody, request.body));
  });
}
