import { X509Certificate } from 'node:crypto';
import { isAllowedSnsUrl } from './sns-signature';

export interface SnsCertificates {
  get(url: string): Promise<X509Certificate>;
}

const MAX_CERTIFICATE_BYTES = 64 * 1024;

/**
 * Fetches SNS signing certificates from allowed URLs only, and keeps them: SNS signs with the same
 * certificate for months, and one fetch per message would let a flood of forged posts make us hammer
 * (or wait on) the certificate host. Redirects are refused, or an allowed host could send us elsewhere.
 */
export function snsCertificates(options: { pattern: RegExp; timeoutMs: number; maxEntries?: number }): SnsCertificates {
  const cache = new Map<string, Promise<X509Certificate>>();
  const maxEntries = options.maxEntries ?? 20;
  return {
    get(url) {
      if (!isAllowedSnsUrl(url, options.pattern)) return Promise.reject(new Error('certificate URL is not allowed'));
      let certificate = cache.get(url);
      if (!certificate) {
        if (cache.size >= maxEntries) cache.delete(cache.keys().next().value as string);
        certificate = download(url, options.timeoutMs);
        cache.set(url, certificate);
        // A failed download is not remembered, so the next message tries again.
        certificate.catch(() => cache.delete(url));
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
