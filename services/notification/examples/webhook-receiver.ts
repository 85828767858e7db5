/**
 * A webhook receiver for Solar Accounts events, as docs/events.md shows it (a test runs this file).
 * Verify the signature over the raw body before anything else, answer 2xx quickly, and process each
 * event id once: deliveries are at least once, and a repeat carries the same `webhook-id`.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { Webhook } from 'standardwebhooks';

/** The CloudEvent in the body (structured JSON mode). */
export interface SolarEvent {
  specversion: '1.0';
  id: string;
  type: string;
  source: string;
  subject: string;
  time: string;
  data: Record<string, unknown>;
}

const MAX_BODY_BYTES = 1_000_000;

export function createWebhookReceiver(secret: string, handle: (event: SolarEvent) => Promise<void> | void): Server {
  const webhook = new Webhook(secret);
  // Use your database in production: a set in memory forgets on restart.
  const processed = new Set<string>();
  const receive = async (req: IncomingMessage): Promise<number> => {
    const body = await readBody(req);
    let event: SolarEvent;
    try {
      event = webhook.verify(body, {
        'webhook-id': String(req.headers['webhook-id']),
        'webhook-timestamp': String(req.headers['webhook-timestamp']),
        'webhook-signature': String(req.headers['webhook-signature']),
      }) as SolarEvent;
    } catch {
      return 401;
    }
    if (!processed.has(event.id)) {
      await handle(event);
      processed.add(event.id);
    }
    return 204;
  };
  // A failure in `handle` answers 500: the event comes again later.
  return createServer((req, res) => {
    receive(req).then(
      (status) => res.writeHead(status).end(),
      () => res.writeHead(500).end(),
    );
  });
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) break;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

// Run it: WEBHOOK_SECRET=whsec_... PORT=4000 npx tsx webhook-receiver.ts
if (require.main === module) {
  const secret = process.env.WEBHOOK_SECRET ?? '';
  createWebhookReceiver(secret, (event) => console.log(event.type, event.subject, event.id)).listen(Number(process.env.PORT ?? 4000));
}
