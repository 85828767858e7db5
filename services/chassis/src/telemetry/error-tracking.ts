import type * as SentryNode from '@sentry/node';
import { activeTraceIds } from './trace-context';

type Sentry = typeof SentryNode;
type SentryEvent = SentryNode.ErrorEvent;

let sentry: Sentry | undefined;

/**
 * Sends unhandled errors to Sentry when SENTRY_DSN is set. Sentry runs beside our OpenTelemetry SDK,
 * not in its place: it registers no tracer provider, installs no module hooks and brings none of its
 * default integrations (they would instrument http and express a second time). Errors reach it only
 * through reportError() and uncaught exceptions, with the trace id of the operation that failed.
 */
export function startErrorTracking(options: { dsn: string; environment: string; release: string }): void {
  if (sentry) return;
  // Loaded only when configured: most processes (and every test) never pay for it.
  const loaded = require('@sentry/node') as Sentry;
  loaded.init({
    dsn: options.dsn,
    environment: options.environment,
    release: options.release,
    // Sentry 11's successor of `sendDefaultPii: false`: no user, cookies, headers, bodies or query strings.
    dataCollection: { userInfo: false, cookies: false, httpHeaders: false, httpBodies: [], urlQueryParams: false },
    includeServerName: false,
    enableOpenTelemetrySetup: false,
    enableRuntimeChannelInjection: false,
    defaultIntegrations: false,
    integrations: [loaded.linkedErrorsIntegration(), loaded.onUncaughtExceptionIntegration()],
    // Breadcrumbs would replay log lines and requests: personal data Sentry does not need.
    maxBreadcrumbs: 0,
    beforeSend: (event) => scrubEvent(event),
  });
  sentry = loaded;
}

export async function stopErrorTracking(timeoutMs = 2_000): Promise<void> {
  const running = sentry;
  sentry = undefined;
  await running?.close(timeoutMs);
}

/**
 * Reports an error nobody handled (a 500, a failed job, an event sent to the dead-letter topic),
 * tagged with the active trace id so the report leads to the trace. A no-op without SENTRY_DSN.
 * `details` must hold identifiers only (codes, topic, job name), never request data.
 */
export function reportError(error: unknown, details: { tags?: Record<string, string>; extra?: Record<string, unknown> } = {}): void {
  if (!sentry) return;
  const ids = activeTraceIds();
  sentry.captureException(error, {
    tags: { ...details.tags, ...(ids ? { trace_id: ids.trace_id } : {}) },
    ...(ids ? { contexts: { trace: { trace_id: ids.trace_id, span_id: ids.span_id } } } : {}),
    extra: details.extra ?? {},
  });
}

const EMAIL = /[^\s@<>()[\]"',;:]+@[^\s@<>()[\]"',;:]+\.[A-Za-z]{2,}/g;
// A JWT (access token, mfa_token) or a bearer credential in a message.
const JWT = /\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
// A client's address (IPv4, or IPv6 written out in five groups or more) in a message such as "from 203.0.113.7".
const IP = /\b(?:\d{1,3}\.){3}\d{1,3}\b|\b(?:[0-9A-Fa-f]{1,4}:){5,7}[0-9A-Fa-f]{1,4}\b/g;

/** Any address (email or IP) or token in a text, replaced. */
export function scrubText(text: string): string {
  return text.replace(EMAIL, '[email]').replace(JWT, '[token]').replace(BEARER, '$1 [redacted]').replace(IP, '[ip]');
}

function scrubDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => scrubDeep(item, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, scrubDeep(item, depth + 1)]));
}

/**
 * The last look at an event before it leaves: no request body, cookies, headers or query string, no
 * user but an id, no address or token in any text (messages, exception values, extra, contexts, tags).
 */
export function scrubEvent(event: SentryEvent): SentryEvent {
  const scrubbed: SentryEvent = { ...event };
  if (scrubbed.request) {
    const { method, url } = scrubbed.request;
    scrubbed.request = { ...(method ? { method } : {}), ...(url ? { url: url.split('?')[0] } : {}) };
  }
  if (scrubbed.user) scrubbed.user = scrubbed.user.id === undefined ? {} : { id: scrubbed.user.id };
  delete scrubbed.breadcrumbs;
  if (scrubbed.message) scrubbed.message = scrubText(scrubbed.message);
  if (scrubbed.logentry?.message) scrubbed.logentry = { ...scrubbed.logentry, message: scrubText(scrubbed.logentry.message) };
  if (scrubbed.exception?.values) {
    scrubbed.exception = {
      ...scrubbed.exception,
      values: scrubbed.exception.values.map((exception) =>
        exception.value ? { ...exception, value: scrubText(exception.value) } : exception,
      ),
    };
  }
  if (scrubbed.extra) scrubbed.extra = scrubDeep(scrubbed.extra) as SentryEvent['extra'];
  if (scrubbed.contexts) scrubbed.contexts = scrubDeep(scrubbed.contexts) as SentryEvent['contexts'];
  if (scrubbed.tags) scrubbed.tags = scrubDeep(scrubbed.tags) as SentryEvent['tags'];
  return scrubbed;
}
