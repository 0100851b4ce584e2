import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * JSON logs, one line per event. Paths that can carry secrets or personal data are
 * redacted here so a careless `log.info({ req })` cannot leak them.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'partner-onboarding' },
      // restify logs whole requests and responses (with every header, the query's tokens):
      // only the method and the path are ever written.
      serializers: {
        req: requestLine,
        res: (res: { statusCode?: number }) => ({ statusCode: res?.statusCode }),
      },
      redact: {
        paths: [
          'req.headers.authorization',
          '*.authorization',
          '*.password',
          '*.contactEmail',
          '*.contactPhone',
          '*.contactName',
          'contactEmail',
          'contactPhone',
          'contactName',
          'text',
          '*.text',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

function requestLine(req: { method?: string; url?: string }): { method?: string; path?: string } {
  return { method: req?.method, path: typeof req?.url === 'string' ? req.url.split('?')[0] : undefined };
}
