import { createLogger, type Logger } from '../logger';

/** A service logger whose every line (JSON text) lands in `lines`, for tests that read the logs. */
export function capturingLogger(service: string, lines: string[], level: 'debug' | 'info' = 'info'): Logger {
  return createLogger({ service, level, destination: { write: (line: string) => lines.push(line) } });
}
