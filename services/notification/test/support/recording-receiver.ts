import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Receipt {
  path: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** What the receiver answers on a path: a status, or a redirect to another URL. */
type Answer = { status: number } | { redirectTo: string };
/** An answer, or one chosen for each request by the CloudEvent it carries. */
type Script = Answer | ((event: { id: string; subject: string }) => Answer);

/**
 * A webhook receiver that records every request and answers as the test scripts it, per path
 * (200 by default), for delivery, retry, redirect and outage scenarios.
 */
export async function startRecordingReceiver() {
  const receipts: Receipt[] = [];
  const answers = new Map<string, Script>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '/';
      const body = Buffer.concat(chunks).toString('utf8');
      const script = answers.get(path) ?? { status: 200 };
      const answer = typeof script === 'function' ? script(JSON.parse(body) as { id: string; subject: string }) : script;
      const headers = Object.fromEntries(Object.entries(req.headers).map(([name, value]) => [name, String(value)]));
      const status = 'status' in answer ? answer.status : 307;
      receipts.push({ path, status, headers, body });
      if ('redirectTo' in answer) res.writeHead(307, { location: answer.redirectTo }).end();
      else res.writeHead(status, { 'content-type': 'text/plain' }).end(status >= 400 ? `unavailable ${'x'.repeat(1000)}` : 'ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    receipts,
    answer(path: string, script: Script) {
      answers.set(path, script);
    },
    /** Receipts on a path, with the CloudEvent each carried. */
    on(path: string) {
      return receipts
        .filter((receipt) => receipt.path === path)
        .map((receipt) => ({ ...receipt, event: JSON.parse(receipt.body) as { id: string; type: string; subject: string } }));
    },
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
