import { timingSafeEqual } from 'node:crypto';
import type restify from 'restify';
import { ApiError } from '../http/apiError';
import { readJsonBody } from '../http/jsonBody';
import { route } from '../http/server';
import type { Logger } from '../logger';
import { buildOpenApi } from './openapi';
import { actingUserId, type WorkflowService } from './workflowService';

export const WORKFLOW_BASE = '/workflow/v1';

export interface WorkflowApiDeps {
  service: WorkflowService;
  log: Logger;
  apiToken: string;
  maxBodyBytes: number;
}

/** The REST surface of DESIGN.md's contract; all rules live in WorkflowService. */
export function mountWorkflowApi(server: restify.Server, deps: WorkflowApiDeps): void {
  const { service, log } = deps;
  const openapi = buildOpenApi();
  const expected = Buffer.from(`Bearer ${deps.apiToken}`);

  /** Service token first, then who is acting: every call but the OpenAPI document. */
  const actingUser = (req: restify.Request): string => {
    const given = Buffer.from(req.header('authorization') ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw ApiError.unauthorized(
        'missing or wrong service token (Authorization: Bearer <WORKFLOW_API_TOKEN>)',
      );
    }
    return actingUserId(req.header('x-acting-user'));
  };
  const idempotencyKey = (req: restify.Request) => req.header('idempotency-key') || undefined;
  const body = (req: restify.Request) => readJsonBody(req, deps.maxBodyBytes);

  server.get(`${WORKFLOW_BASE}/openapi.json`, (_req, res, next) => {
    res.send(200, openapi);
    next();
  });

  server.post(
    `${WORKFLOW_BASE}/applications`,
    route(log, async (req, res) => {
      const actor = actingUser(req);
      const result = await service.register(actor, await body(req), idempotencyKey(req));
      if (result.replayed) res.header('Idempotent-Replayed', 'true');
      res.header('Location', `${WORKFLOW_BASE}/applications/${result.body.id}`);
      res.send(result.status, result.body);
    }),
  );

  server.get(
    `${WORKFLOW_BASE}/applications`,
    route(log, async (req, res) => {
      const actor = actingUser(req);
      const q = (req.query ?? {}) as Record<string, unknown>;
      const str = (v: unknown) => (Array.isArray(v) ? v.join(',') : typeof v === 'string' ? v : undefined);
      res.send(200, await service.list(actor, { status: str(q.status), q: str(q.q), limit: str(q.limit) }));
    }),
  );

  server.get(
    `${WORKFLOW_BASE}/applications/:id`,
    route(log, async (req, res) => {
      res.send(200, await service.get(actingUser(req), req.params.id));
    }),
  );

  server.get(
    `${WORKFLOW_BASE}/applications/:id/history`,
    route(log, async (req, res) => {
      res.send(200, await service.history(actingUser(req), req.params.id));
    }),
  );

  server.post(
    `${WORKFLOW_BASE}/applications/:id/actions/:action`,
    route(log, async (req, res) => {
      const actor = actingUser(req);
      service.parseAction(req.params.action);
      const result = await service.act(
        actor,
        req.params.id,
        req.params.action,
        await body(req),
        idempotencyKey(req),
      );
      if (result.replayed) res.header('Idempotent-Replayed', 'true');
      log.info(
        {
          applicationId: result.body.id,
          action: req.params.action,
          status: result.body.status,
          replayed: result.replayed,
        },
        'workflow action',
      );
      res.send(result.status, result.body);
    }),
  );
}
