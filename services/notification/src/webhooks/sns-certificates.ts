import { X509Certificate } from 'node:crypto';
import { isAllowedSnsUrl } from './sns-signature';

export interface SnsCertificates {
  get(url: string): Promise<X509Certificate>;
}

const MAX_CERTIFICATE_BYTES = 64 * 1024;

/**
 * How long a URL whose download failed is refused without asking again. Short, because SNS retries a
 * refused message only a few times (by default three times, 20 s apart): long enough that a flood of
 * forged posts naming a missing .pem costs one request a window, short enough for an outage to pass.
 */
const FAILURE_TTL_MS = 30_000;

/**
 * Fetches SNS signing certificates from allowed URLs only, and keeps them: SNS signs with the same
 * certificate for months, and one fetch per message would let a flood of forged posts make us hammer
 * (or wait on) the certificate host. Failures are remembered for a while too, or posts naming a URL
 * that fails would reach the host each time. Both memories are bounded (oldest out first), since the
 * URLs come from the caller. Redirects are refused, or an allowed host could send us elsewhere.
 */
export function snsCertificates(options: {
  /** SNS_CERT_URL_PATTERN, when set: replaces the SNS host rule (local stand-ins only). */
  override?: RegExp | undefined;
  timeoutMs: number;
  maxEntries?: number;
  failureTtlMs?: number;
  now?: () => number;
}): SnsCertificates {
  const cache = new Map<string, Promise<X509Certificate>>();
  const failures = new Map<string, { error: Error; until: number }>();
  const maxEntries = options.maxEntries ?? 20;
  const failureTtlMs = options.failureTtlMs ?? FAILURE_TTL_MS;
  const now = options.now ?? Date.now;
  const bounded = <V>(map: Map<string, V>) => {
    if (map.size >= maxEntries) map.delete(map.keys().next().value as string);
  };
  return {
    get(url) {
      if (!isAllowedSnsUrl(url, 'certificate', options.override)) return Promise.reject(new Error('certificate URL is not allowed'));
      const failed = failures.get(url);
      if (failed && failed.until > now()) return Promise.reject(failed.error);
      failures.delete(url);
      let certificate = cache.get(url);
      if (!certificate) {
        bounded(cache);
        certificate = download(url, options.timeoutMs);
        cache.set(url, certificate);
        certificate.catch((error: unknown) => {
          cache.delete(url);
          bounded(failures);
          failures.set(url, { error: error instanceof Error ? error : new Error(String(error)), until: now() + failureTtlMs });
        });
      }
      return certificate;
    },
  };
}

async function download(url: string, timeoutMs: number): Promise<X509Certificate> {
  const response = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) throw new Error(`certificate host answered ${response.status}`);
  const body = Buffer.from(await response.arrayBuffer());
  if (body.length > MAX_CERTIFICATE_BYTES) throw new Error('certificate too large');
  return new X509Certificate(body);
}
