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
