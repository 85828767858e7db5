import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const sha1 = (password: string) => createHash('sha1').update(password, 'utf8').digest('hex').toUpperCase();

/**
 * A local server speaking the Pwned Passwords range API (GET /range/{5 hex} → `SUFFIX:COUNT` lines),
 * as documented at https://haveibeenpwned.com/API/v3#PwnedPasswords. It records every request, to
 * show what leaves identity. `mode`: `answer` as the API does (with padding entries of count 0 when
 * asked for them), `hang` never answers, `fail` answers 503.
 */
export class PwnedRangeServer {
  readonly received: { url: string; headers: IncomingHttpHeaders }[] = [];
  mode: 'answer' | 'hang' | 'fail' = 'answer';
  private readonly counts = new Map<string, number>();
  private readonly server: Server;

  constructor() {
    this.server = createServer((req, res) => {
      this.received.push({ url: req.url ?? '', headers: req.headers });
      if (this.mode === 'hang') return;
      if (this.mode === 'fail') return void res.writeHead(503).end('down for maintenance');
      const prefix = /^\/range\/([0-9A-F]{5})$/.exec(req.url ?? '')?.[1];
      if (!prefix) return void res.writeHead(400).end('The hash prefix was not in a valid format');
      res.writeHead(200, { 'content-type': 'text/plain' }).end(this.range(prefix, req.headers['add-padding'] === 'true'));
    });
  }

  /** Puts a password into the corpus, seen `count` times; 0 makes it one of the padding entries. */
  add(password: string, count: number): void {
    this.counts.set(sha1(password), count);
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    // A hanging answer keeps its connection open: end it, or close would wait for the client.
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private range(prefix: string, padded: boolean): string {
    const lines = [...this.counts].filter(([hash]) => hash.startsWith(prefix)).map(([hash, count]) => `${hash.slice(5)}:${count}`);
    // Padding as the real API pads: random suffixes counted 0, which a client must never take for a hit.
    if (padded) for (let i = 0; i < 5; i++) lines.push(`${sha1(`padding ${prefix} ${i}`).slice(5)}:0`);
    return lines.join('\r\n');
  }
}
