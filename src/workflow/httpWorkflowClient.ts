import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { ActionName } from './machine';
import {
  applicationView,
  errorBody,
  historyEntry,
  type ApplicationView,
  type HistoryEntry,
  type PayloadOf,
} from './schemas';
import type { CallOptions, ListFilter, Result, WorkflowClient } from './workflowClient';

export interface WorkflowClientOptions {
  /** A function when the address is known only once the server listens (self-hosted, port 0). */
  baseUrl: string | (() => string);
  apiToken: string;
  timeoutMs: number;
}

const applicationList = z.array(applicationView);
const historyList = z.array(historyEntry);

/**
 * The workflow over HTTP (/workflow/v1), for a workflow in another deployment
 * (WORKFLOW_URL). Every answer is validated against the API's schemas.
 */
export class HttpWorkflowClient implements WorkflowClient {
  constructor(private readonly options: WorkflowClientOptions) {}

  register(
    actor: string,
    payload: PayloadOf<'register'>,
    opts: CallOptions = {},
  ): Promise<Result<ApplicationView>> {
    return this.call('POST', '/applications', actor, applicationView, payload, opts) as Promise<
      Result<ApplicationView>
    >;
  }

  get(actor: string, id: string): Promise<Result<ApplicationView>> {
    return this.call('GET', `/applications/${encodeURIComponent(id)}`, actor, applicationView) as Promise<
      Result<ApplicationView>
    >;
  }

  list(actor: string, filter: ListFilter = {}): Promise<Result<ApplicationView[]>> {
    const params = new URLSearchParams();
    if (filter.status?.length) params.set('status', filter.status.join(','));
    if (filter.q) params.set('q', filter.q);
    if (filter.limit) params.set('limit', String(filter.limit));
    const qs = params.size ? `?${params}` : '';
    return this.call('GET', `/applications${qs}`, actor, applicationList) as Promise<
      Result<ApplicationView[]>
    >;
  }

  history(actor: string, id: string): Promise<Result<HistoryEntry[]>> {
    return this.call('GET', `/applications/${encodeURIComponent(id)}/history`, actor, historyList);
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
      'POST',
      `/applications/${encodeURIComponent(id)}/actions/${action}`,
      actor,
      applicationView,
      { expectedVersion, payload: payload ?? {} },
      opts,
    ) as Promise<Result<ApplicationView>>;
  }

  private async call<T>(
    method: 'GET' | 'POST',
    path: string,
    actor: string,
    schema: z.ZodType<T>,
    body?: unknown,
    opts: CallOptions = {},
  ): Promise<Result<T>> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.options.apiToken}`,
      'x-acting-user': actor,
      accept: 'application/json',
    };
    if (method === 'POST') {
      headers['content-type'] = 'application/json';
      // A fresh key per call unless the caller gave one: a retry of a call whose answer was lost is safe.
      headers['idempotency-key'] = opts.idempotencyKey ?? randomUUID();
    }
    let res: Response;
    try {
      const base = typeof this.options.baseUrl === 'function' ? this.options.baseUrl() : this.options.baseUrl;
      res = await fetch(`${base}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (err) {
      const e = err as Error;
      if (e.name === 'TimeoutError' || e.name === 'AbortError') {
        return {
          ok: false,
          error: {
            kind: 'timeout',
            message: `workflow API did not answer within ${this.options.timeoutMs} ms`,
          },
        };
      }
      return { ok: false, error: { kind: 'network', message: `workflow API unreachable: ${e.message}` } };
    }
    let json: unknown;
    try {
      json = await res.json();
    } catch {
      return {
        ok: false,
        error: { kind: 'invalid-response', message: `workflow API answered ${res.status} without JSON` },
      };
    }
    if (!res.ok) {
      const parsed = errorBody.safeParse(json);
      return parsed.success
        ? { ok: false, error: { kind: 'http', status: res.status, ...parsed.data.error } }
        : {
            ok: false,
            error: { kind: 'http', status: res.status, code: 'unknown', message: `HTTP ${res.status}` },
          };
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      return {
        ok: false,
        error: {
          kind: 'invalid-response',
          message: `unexpected answer from workflow API: ${parsed.error.message}`,
        },
      };
    }
    return { ok: true, value: parsed.data };
  }
}
