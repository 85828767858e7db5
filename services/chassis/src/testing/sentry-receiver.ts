import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface ReceivedEnvelope {
  /** Request path, e.g. `/api/42/envelope/?sentry_key=...`. */
  path: string;
  /** The envelope as sent: newline-separated JSON (envelope header, then item header and payload pairs). */
  body: string;
  /** The error events among the items. */
  events: Record<string, unknown>[];
}

/**
 * A local stand-in for Sentry's ingest: `POST /api/<project>/envelope/`, as @sentry/node's transport
 * sends it (gzip above a size). `dsn` is what SENTRY_DSN takes to report here.
 */
export class SentryReceiver {
  readonly envelopes: ReceivedEnvelope[] = [];
  private readonly server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body = (req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
      const items = body
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      this.envelopes.push({ path: req.url ?? '', body, events: items.filter((item) => 'exception' in item) });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  dsn = '';

  async start(project = '42'): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.dsn = `http://publickey@127.0.0.1:${(this.server.address() as AddressInfo).port}/${project}`;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server.close(resolve));
  }
}
