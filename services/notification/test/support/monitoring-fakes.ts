import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, connect, type Server as TcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP proxy in front of the test Mailpit that a test can cut: while down it greets every connection
 * with 421 (service not available) and closes it, as a mail server in trouble does, without touching
 * Mailpit's global chaos settings, which other test files share. (Dropping the connection without a
 * greeting would be the harsher test, but nodemailer's pool then never settles the send: reported.)
 */
export class SwitchableSmtpProxy {
  private server: TcpServer | undefined;
  private readonly sockets = new Set<Socket>();
  up = false;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async start(): Promise<number> {
    this.server = createTcpServer((client) => {
      this.track(client);
      if (!this.up) {
        client.end('421 4.3.2 Service not available, closing channel\r\n');
        return;
      }
      const upstream = connect(this.targetPort, this.targetHost);
      this.track(upstream);
      client.pipe(upstream).pipe(client);
      const close = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('error', close).on('close', close);
      upstream.on('error', close).on('close', close);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  /** Cuts open connections too: a pooled SMTP connection must not outlive the outage. */
  down(): void {
    this.up = false;
    for (const socket of this.sockets) socket.destroy();
  }

  async stop(): Promise<void> {
    this.down();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
  }
}

/** Records the JSON bodies POSTed to it, as an alerting system behind ALERT_WEBHOOK_URL would. */
export class AlertWebhookRecorder {
  readonly received: { path: string; body: Record<string, unknown> }[] = [];
  private server: HttpServer | undefined;
  url = '';

  async start(): Promise<void> {
    // eslint-disable-next-line @typescript-eslint/no-misused-promises -- http.Server ignores the promise; a broken fake surfaces as an unhandled rejection
    this.server = createHttpServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      this.received.push({ path: req.url ?? '', body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> });
      res.writeHead(204).end();
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/alerts`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

/** A port nothing listens on: bound once by us, then released. */
export async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** An SMTP server that refuses every session with 421 and counts the connections it got. */
export async function refusingSmtpServer(): Promise<{ port: number; connections: () => number; stop: () => Promise<void> }> {
  let count = 0;
  const server = createTcpServer((client) => {
    count += 1;
    client.end('421 4.3.2 Service not available, closing channel\r\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => count,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
