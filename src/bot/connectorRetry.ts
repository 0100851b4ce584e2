import { AsyncLocalStorage } from 'node:async_hooks';
import type { BotFrameworkAuthentication, ConnectorClient, ConnectorFactory } from 'botframework-connector';

/**
 * The one retry policy for the Bot Connector's 429 ("slow down"). The connector client's
 * HTTP pipeline (@azure/core-rest-pipeline, inside botframework-connector) brings its own
 * defaultRetryPolicy: up to 3 retries, waiting whatever Retry-After says, and it also
 * re-sends a POST after a 5xx or a network error, when the channel may already have posted
 * it. Together with a retry loop of our own, one message could cost 16 requests and outlive
 * the dispatcher's webhook timeout. So every connector client gets this policy in its place:
 * only a 429 is retried (the channel refused the request, so nothing was posted), after the
 * Retry-After it names, and only while the wait fits the time the caller has left. What does
 * not fit is the caller's to retry later (the webhook answers 503 with that Retry-After).
 */
export interface ThrottlePolicyOptions {
  /** Retries of one request at most. */
  maxRetries: number;
  /** A Retry-After longer than this is never waited out in-line. */
  maxWaitMs: number;
  /** The budget of a request made outside any deadline (a reply within a user's turn). */
  defaultBudgetMs: number;
}

export const DEFAULT_THROTTLE_POLICY: ThrottlePolicyOptions = {
  maxRetries: 3,
  maxWaitMs: 5000,
  defaultBudgetMs: 6000,
};

const deadlines = new AsyncLocalStorage<number>();

/** Runs `work` so that every connector request it makes retries only while before `deadline` (ms). */
export function withDeadline<T>(deadline: number, work: () => Promise<T>): Promise<T> {
  return deadlines.run(deadline, work);
}

/** The deadline of the work running now, if any. */
export function currentDeadline(): number | undefined {
  return deadlines.getStore();
}

/** The name core-rest-pipeline gives the retry policy every client starts with. */
const LIBRARY_RETRY_POLICY = 'defaultRetryPolicy';

/** The parts of core-rest-pipeline this uses (it is botframework-connector's dependency, not ours). */
interface PipelineResponse {
  status: number;
  headers: { get(name: string): string | undefined };
}
interface Pipeline {
  removePolicy(options: { name: string }): unknown;
  addPolicy(
    policy: {
      name: string;
      sendRequest(
        request: unknown,
        next: (r: unknown) => Promise<PipelineResponse>,
      ): Promise<PipelineResponse>;
    },
    options: { phase: 'Retry' },
  ): void;
}

export function throttlePolicy(options: ThrottlePolicyOptions) {
  return {
    name: 'onboardingThrottlePolicy',
    async sendRequest(
      request: unknown,
      next: (r: unknown) => Promise<PipelineResponse>,
    ): Promise<PipelineResponse> {
      const deadline = deadlines.getStore() ?? Date.now() + options.defaultBudgetMs;
      for (let retries = 0; ; retries++) {
        const response = await next(request);
        if (response.status !== 429 || retries >= options.maxRetries) return response;
        const wait = retryAfterMs(response.headers.get('retry-after')) ?? 500 * 2 ** retries;
        if (wait > options.maxWaitMs || Date.now() + wait > deadline) return response;
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    },
  };
}

/** Retry-After as seconds or an HTTP date, in ms; undefined when absent or unreadable. */
export function retryAfterMs(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

/** Clients already given the policy: the adapter reuses clients across turns. */
const configured = new WeakSet<object>();

/** Replaces the library's retry policy with ours in one connector client (once). */
export function useThrottlePolicy(client: ConnectorClient, options: ThrottlePolicyOptions): ConnectorClient {
  const pipeline = (client as unknown as { client?: { pipeline?: Pipeline } }).client?.pipeline;
  if (pipeline && !configured.has(client)) {
    configured.add(client);
    pipeline.removePolicy({ name: LIBRARY_RETRY_POLICY });
    pipeline.addPolicy(throttlePolicy(options), { phase: 'Retry' });
  }
  return client;
}

/**
 * Makes every connector client the adapter gets from `auth` use the throttle policy: the
 * factories for proactive and created conversations, and the one each inbound turn gets.
 */
export function withThrottlePolicy<A extends BotFrameworkAuthentication>(
  auth: A,
  options: ThrottlePolicyOptions = DEFAULT_THROTTLE_POLICY,
): A {
  const wrap = (factory: ConnectorFactory | undefined): ConnectorFactory | undefined =>
    factory && {
      create: async (serviceUrl: string, audience?: string) =>
        useThrottlePolicy(await factory.create(serviceUrl, audience), options),
    };
  const createConnectorFactory = auth.createConnectorFactory.bind(auth);
  const authenticateRequest = auth.authenticateRequest.bind(auth);
  const authenticateStreamingRequest = auth.authenticateStreamingRequest.bind(auth);
  auth.createConnectorFactory = (identity) => wrap(createConnectorFactory(identity))!;
  auth.authenticateRequest = async (activity, header) => {
    const result = await authenticateRequest(activity, header);
    return { ...result, connectorFactory: wrap(result.connectorFactory)! };
  };
  auth.authenticateStreamingRequest = async (header, channelId) => {
    const result = await authenticateStreamingRequest(header, channelId);
    return { ...result, connectorFactory: wrap(result.connectorFactory)! };
  };
  return auth;
}
