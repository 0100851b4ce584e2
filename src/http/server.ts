import restify from 'restify';
import type { Logger } from '../logger';
import { ApiError } from './apiError';

/**
 * The one restify server every module mounts its routes on. Body parsing is left to
 * each route (see readJsonBody) so limits and error bodies stay under our control.
 */
export function createHttpServer(log: Logger): restify.Server {
  // restify's own log lines (a formatter failure logs the whole request) go through ours.
  const server = restify.createServer({
    name: 'partner-onboarding',
    handleUncaughtExceptions: false,
    // @types/restify still describes restify's old bunyan logger; restify 11 takes pino.
    log: log.child({ component: 'restify' }) as unknown as restify.ServerOptions['log'],
  });
  server.pre(restify.plugins.pre.context());
  server.use(restify.plugins.queryParser({ mapParams: false }));

  // restify's own errors (404 for unknown routes, 405) in the documented shape.
  server.on(
    'restifyError',
    (
      _req: restify.Request,
      res: restify.Response,
      err: { statusCode?: number; message?: string },
      next: () => void,
    ) => {
      const status = err.statusCode ?? 500;
      const code =
        status === 404
          ? 'not_found'
          : status === 405
            ? 'method_not_allowed'
            : status >= 500
              ? 'internal'
              : 'bad_request';
      const body = new ApiError(
        status,
        code,
        status >= 500 ? 'internal error' : (err.message ?? 'request failed'),
      ).toBody();
      (err as unknown as { toJSON: () => unknown }).toJSON = () => body;
      if (status >= 500) log.error({ err }, 'unhandled error');
      next();
      void res;
    },
  );
  return server;
}

/** Wraps an async route so thrown ApiErrors become the documented JSON error. */
export function route(
  log: Logger,
  handler: (req: restify.Request, res: restify.Response) => Promise<void>,
): restify.RequestHandler {
  return (req, res, next) => {
    handler(req, res)
      .catch((err: unknown) => {
        if (err instanceof ApiError) {
          res.send(err.status, err.toBody());
        } else {
          log.error({ err }, 'request failed');
          res.send(500, new ApiError(500, 'internal', 'internal error').toBody());
        }
      })
      .finally(() => next());
  };
}
