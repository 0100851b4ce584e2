import { ApiError } from '../http/apiError';
import type { Logger } from '../logger';
import type { ActionName } from './machine';
import type { ApplicationView, HistoryEntry, PayloadOf } from './schemas';
import type { CallOptions, ListFilter, Result, WorkflowClient, WorkflowError } from './workflowClient';
import { actingUserId, type WorkflowService } from './workflowService';

/**
 * The workflow called directly, when it runs in this process (no WORKFLOW_URL): the same
 * rules, answers and errors as the HTTP API, without its hop (about one whole echo-bot turn
 * per call, measured). Errors carry the status and code the API would have answered.
 */
export class InProcessWorkflowClient implements WorkflowClient {
  constructor(
    private readonly service: WorkflowService,
    private readonly log: Logger,
  ) {}

  register(
    actor: string,
    payload: PayloadOf<'register'>,
    opts: CallOptions = {},
  ): Promise<Result<ApplicationView>> {
    return this.call(
      async (who) => (await this.service.register(who, payload, opts.idempotencyKey)).body,
      actor,
    );
  }

  get(actor: string, id: string): Promise<Result<ApplicationView>> {
    return this.call((who) => this.service.get(who, id), actor);
  }

  list(actor: string, filter: ListFilter = {}): Promise<Result<ApplicationView[]>> {
    return this.call(
      (who) =>
        this.service.list(who, {
          status: filter.status?.length ? filter.status.join(',') : undefined,
          q: filter.q || undefined,
          limit: filter.limit ? String(filter.limit) : undefined,
        }),
      actor,
    );
  }

  history(actor: string, id: string): Promise<Result<HistoryEntry[]>> {
    return this.call((who) => this.service.history(who, id), actor);
  }

  act<A extends Exclude<ActionName, 'register'>>(
    actor: string,
    id: string,
    action: A,
    expectedVersion: number,
    payload?: PayloadOf<A>,
    opts: CallOptions = {},
  ): Promise<Result<ApplicationView>> {
    return this.call(
      async (who) =>
        (
          await this.service.act(
            who,
            id,
            action,
            { expectedVersion, payload: payload ?? {} },
            opts.idempotencyKey,
          )
        ).body,
      actor,
    );
  }

  private async call<T>(fn: (actor: string) => Promise<T>, actor: string): Promise<Result<T>> {
    try {
      return { ok: true, value: await fn(actingUserId(actor)) };
    } catch (err) {
      return { ok: false, error: this.asError(err) };
    }
  }

  private asError(err: unknown): WorkflowError {
    if (err instanceof ApiError) {
      return {
        kind: 'http',
        status: err.status,
        code: err.code,
        message: err.message,
        ...(err.details === undefined ? {} : { details: err.details }),
      };
    }
    // What the API would answer as a 500: logged here, the caller hears "internal".
    this.log.error({ err }, 'workflow call failed');
    return { kind: 'http', status: 500, code: 'internal', message: 'internal error' };
  }
}
