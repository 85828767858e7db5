import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** An HTTP answer, or `hang`: the request is read and never answered (a provider that stopped responding). */
export type Reply = { status: number; headers?: Record<string, string>; body?: string } | 'hang';

export type Route = (request: RecordedRequest) => Reply | undefined;

/**
 * A plain node:http server on port 0 that records every request and answers through a provider's
 * routes. Answers to the send call can be scripted: `failNext` queues replies used once each, in
 * order; `failAlways` replaces the send call's answer until `recover`.
 */
export class FakeHttpServer {
  readonly requests: RecordedRequest[] = [];
  /** The answer given to each request, by index. */
  readonly replies: Reply[] = [];
  private readonly queued: Reply[] = [];
  private always: Reply | null = null;
  private readonly rules: { match: (request: RecordedRequest) => boolean; replies: Reply[]; repeatLast: boolean }[] = [];
  private server: Server | undefined;

  constructor(
    /** Whether a request is the provider's send call (what scripted replies apply to). */
    private readonly isSend: (request: RecordedRequest) => boolean,
    private readonly route: Route,
  ) {}

  get url(): string {
    const address = this.server?.address() as AddressInfo | null | undefined;
    if (!address) throw new Error('fake server not started');
    return `http://127.0.0.1:${address.port}`;
  }

  /** Send calls received so far, scripted failures included. */
  sends(): RecordedRequest[] {
    return this.requests.filter(this.isSend);
  }

  failNext(...replies: Reply[]): void {
    this.queued.push(...replies);
  }

  failAlways(reply: Reply): void {
    this.always = reply;
  }

  /** For send calls that match (say, one recipient): these replies in order, then the normal answer. */
  when(match: (request: RecordedRequest) => boolean, ...replies: Reply[]): void {
    this.rules.push({ match, replies, repeatLast: false });
  }

  /** For send calls that match: this reply every time. */
  alwaysWhen(match: (request: RecordedRequest) => boolean, reply: Reply): void {
    this.rules.push({ match, replies: [reply], repeatLast: true });
  }

  recover(): void {
    this.always = null;
    this.queued.length = 0;
    this.rules.length = 0;
  }

  private scripted(request: RecordedRequest): Reply | null {
    if (!this.isSend(request)) return null;
    const rule = this.rules.find((candidate) => candidate.replies.length > 0 && candidate.match(request));
    if (rule) return rule.repeatLast && rule.replies.length === 1 ? rule.replies[0]! : rule.replies.shift()!;
    return this.queued.shift() ?? this.always;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const request: RecordedRequest = {
          method: req.method ?? '',
          path: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        };
        const reply = this.scripted(request) ?? this.route(request) ?? json(404, { message: 'not found' });
        this.requests.push(request);
        this.replies.push(reply);
        answer(res, reply);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this.url;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

function answer(res: ServerResponse, reply: Reply): void {
  if (reply === 'hang') return;
  res.writeHead(reply.status, reply.headers ?? {});
  res.end(reply.body ?? '');
}

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): Reply => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});
