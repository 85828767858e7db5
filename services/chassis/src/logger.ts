import pino, { type Logger } from 'pino';
import { activeTraceIds } from './telemetry/trace-context';

export type { Logger };

const SECRET_KEYS = [
  'password',
  'currentPassword',
  'newPassword',
  'token',
  'mfaToken',
  'captchaToken',
  'access_token',
  'refresh_token',
  'secret',
  'code',
  'recoveryCode',
  'link',
];

/**
 * Everything that may carry a credential is censored wherever it shows up in a log line: at the top,
 * one level down (a request body, an error's details), and in HTTP headers.
 */
export const REDACTED_PATHS = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((key) => `*.${key}`),
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
];

export function createLogger(options: { service: string; level: string; destination?: pino.DestinationStream }): Logger {
  return pino(
    {
      name: options.service,
      level: options.level,
      base: { service: options.service },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // trace_id and span_id of the active span (the names OpenTelemetry's log data model uses), so a
      // log line leads to its trace; read from the context rather than patched in, so tests see it too.
      mixin: () => activeTraceIds() ?? {},
    },
    options.destination,
  );
}
