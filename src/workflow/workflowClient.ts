import type { ActionName, Status } from './machine';
import type { ApplicationView, HistoryEntry, PayloadOf } from './schemas';

/** Every way a call can end, so callers handle each instead of catching. */
export type WorkflowError =
  | { kind: 'http'; status: number; code: string; message: string; details?: unknown }
  | { kind: 'timeout'; message: string }
  | { kind: 'network'; message: string }
  | { kind: 'invalid-response'; message: string };

export type Result<T> = { ok: true; value: T } | { ok: false; error: WorkflowError };

export interface CallOptions {
  /** Pass a stable key to make a retried call safe: the same key replays the first answer. */
  idempotencyKey?: string;
}

export interface ListFilter {
  status?: readonly Status[];
  q?: string;
  limit?: number;
}

/**
 * The bot's one way to the workflow (DESIGN.md). In process by default
 * (InProcessWorkflowClient), over HTTP when WORKFLOW_URL points at another deployment
 * (HttpWorkflowClient); both pass the same contract tests, and errors arrive as the HTTP
 * API's status, code and message in either case.
 */
export interface WorkflowClient {
  register(
    actor: string,
    payload: PayloadOf<'register'>,
    opts?: CallOptions,
  ): Promise<Result<ApplicationView>>;
  get(actor: string, id: string): Promise<Result<ApplicationView>>;
  list(actor: string, filter?: ListFilter): Promise<Result<ApplicationView[]>>;
  history(actor: string, id: string): Promise<Result<HistoryEntry[]>>;
  act<A extends Exclude<ActionName, 'register'>>(
    actor: string,
    id: string,
    action: A,
    expectedVersion: number,
    payload?: PayloadOf<A>,
    opts?: CallOptions,
  ): Promise<Result<ApplicationView>>;
}
