import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { resolveDestination, DestinationRefused } from './destination-guard';

/** Enough of an answer to tell an admin what the receiver said; the rest is never read. */
const EXCERPT_BYTES = 256;

export interface SignedMessage {
  /** The event id: the `webhook-id` every repeat of the event carries. */
  id: string;
  /** The CloudEvent in structured JSON mode, exactly the bytes signed. */
  body: string;
  /** Every secret that currently signs (two while one rotates); each adds a `v1,` signature. */
  secrets: string[];
}

export type SendOutcome = { ok: true; status: number; excerpt: string } | { ok: false; status: number | null; excerpt: string };

/** Standard Webhooks headers: one v1 signature per valid secret, space-separated, so either verifies. */
function signatureHeaders(message: SignedMessage, now: Date): Record<string, string> {
  const signatures = message.secrets.map((secret) => new Webhook(secret).sign(message.id, now, message.body));
  return {
    'webhook-id': message.id,
    'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
    'webhook-signature': signatures.join(' '),
  };
}

/**
 * POSTs one signed message. The host is resolved and checked here, at delivery, and the connection
 * goes to that checked address (a DNS answer that changed since registration cannot redirect it);
 * redirects are answers, never followed; the whole exchange has one deadline; only the first bytes
 * of the answer are read.
 */
export async function sendWebhook(
  target: string,
  message: SignedMessage,
  options: { allowedHosts: readonly string[]; timeoutMs: number; now: Date },
): Promise<SendOutcome> {
  const url = new URL(target);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let destination;
  try {
    destination = await resolveDestination(url, options.allowedHosts);
  } catch (error) {
    if (error instanceof DestinationRefused) return { ok: false, status: null, excerpt: `refused: ${error.reason}` };
    throw error;
  }
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<SendOutcome>((resolve) => {
    const req = request(
      {
        host: destination.address,
        family: destination.family,
        port: url.port || (url.protocol === 'https:' ? 443 : 80),
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        // The certificate is checked against the name, while the socket goes to the pinned address
        // (SNI carries names only, never an address literal).
        ...(isIP(host) ? {} : { servername: host }),
        headers: {
          host: url.host,
          'content-type': 'application/cloudevents+json; charset=utf-8',
          'user-agent': 'solar-accounts-webhooks/1',
          ...signatureHeaders(message, options.now),
        },
        signal: AbortSignal.timeout(options.timeoutMs),
      },
      (res) => {
        readExcerpt(res).then(
          (excerpt) => {
            const status = res.statusCode ?? 0;
            resolve({ ok: status >= 200 && status < 300, status, excerpt });
          },
          () => resolve({ ok: false, status: res.statusCode ?? null, excerpt: 'answer cut off' }),
        );
      },
    );
    req.on('error', (error) => resolve({ ok: false, status: null, excerpt: failureReason(error) }));
    req.end(message.body);
  });
}

function readExcerpt(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      res.destroy();
      resolve(Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString('utf8'));
    };
    res.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= EXCERPT_BYTES) done();
    });
    res.on('end', done);
    res.on('error', reject);
  });
}

function failureReason(error: Error): string {
  if (error.name === 'AbortError' || error.name === 'TimeoutError') return 'timeout';
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : error.name;
}
