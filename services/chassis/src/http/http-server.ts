import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RunningServer {
  port: number;
  /** Stops accepting, lets requests in flight finish, then cuts whatever is left at the deadline. */
  close(deadlineMs: number): Promise<void>;
}

export async function listen(app: RequestListener, port: number, host = '0.0.0.0'): Promise<RunningServer> {
  const server: Server = createServer(app);
  // Keep-alive must outlive a load balancer's idle timeout, or it reuses sockets we have closed.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: (deadlineMs) => closeServer(server, deadlineMs),
  };
}

function closeServer(server: Server, deadlineMs: number): Promise<void> {
  return new Promise((resolve) => {
    const deadline = setTimeout(() => server.closeAllConnections(), deadlineMs);
    server.close(() => {
      clearTimeout(deadline);
      resolve();
    });
    server.closeIdleConnections();
  });
}
