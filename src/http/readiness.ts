import type restify from 'restify';

/** One dependency's check: resolves when it answers, rejects (or times out) when it does not. */
export type ReadinessCheck = () => Promise<void>;

/** How long one check may take before it counts as failed. */
const CHECK_TIMEOUT_MS = 2000;

/**
 * GET /readyz: 200 when the server is started and every dependency answers, else 503, with
 * each dependency's result so an operator (or a load balancer) sees which one is down.
 * /healthz stays the liveness answer DESIGN.md promises (200 once started).
 */
export function mountReadiness(
  server: restify.Server,
  deps: { started: () => boolean; checks: Record<string, ReadinessCheck> },
): void {
  server.get('/readyz', async (_req: restify.Request, res: restify.Response) => {
    const names = Object.keys(deps.checks);
    const results = await Promise.all(names.map((name) => run(deps.checks[name])));
    const checks = Object.fromEntries(names.map((name, i) => [name, results[i]]));
    const ready = deps.started() && results.every((r) => r.ok);
    res.send(ready ? 200 : 503, { status: ready ? 'ready' : 'not_ready', checks });
  });
}

/** Whether it answered and how fast; why not stays in the logs (an address or a driver message is not for callers). */
async function run(check: ReadinessCheck): Promise<{ ok: boolean; ms: number }> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)),
          CHECK_TIMEOUT_MS,
        );
      }),
    ]);
    return { ok: true, ms: Date.now() - started };
  } catch {
    return { ok: false, ms: Date.now() - started };
  } finally {
    clearTimeout(timer);
  }
}
