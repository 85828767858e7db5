import {
  Health,
  createHttpApp,
  createLogger,
  listen,
  loadConfig,
  runStopSteps,
  serviceMain,
  trustProxySetting,
  type Env,
  type Logger,
  type Service,
  type StopStep,
} from '@solar/chassis';
import { announcedBodyLimit } from './http/body-limit';
import { GatewayConfig } from './config';
import { upstreamProxy } from './routing/upstream-proxy';

/** Public path prefixes under /v1 and the service that answers them. */
const IDENTITY_PREFIXES = ['/auth', '/users', '/admin', '/.well-known'];

export function createGatewayService(env: Env = process.env, overrides: { logger?: Logger } = {}): Service {
  const config = loadConfig(GatewayConfig, env);
  const logger = overrides.logger ?? createLogger({ service: 'gateway', level: config.LOG_LEVEL });
  const health = new Health();
  health.register('identity', async () => {
    const response = await fetch(new URL('/readyz', config.IDENTITY_URL), { signal: AbortSignal.timeout(1_500) });
    if (!response.ok) throw new Error(`identity answered ${response.status}`);
  });
  let stopSteps: StopStep[] = [];

  return {
    async start() {
      const identity = upstreamProxy({ name: 'identity', target: config.IDENTITY_URL, timeoutMs: config.UPSTREAM_TIMEOUT, logger });
      const app = createHttpApp({
        logger,
        health,
        trustProxy: trustProxySetting(config.TRUST_PROXY),
        parseBodies: false,
        routes: (router) => {
          router.use('/v1', announcedBodyLimit(config.BODY_LIMIT_BYTES));
          for (const prefix of IDENTITY_PREFIXES) router.use(`/v1${prefix}`, prefixed(prefix, identity));
        },
      });
      const server = await listen(app, config.GATEWAY_PORT, config.HOST);
      stopSteps = [
        ['readiness', () => health.startDraining()],
        ['http', () => server.close(config.SHUTDOWN_TIMEOUT / 2)],
      ];
      return { port: server.port };
    },
    stop: () => runStopSteps(stopSteps, logger),
  };
}

/** Express strips the mount path; the upstream expects it back, without the /v1 version segment. */
function prefixed(prefix: string, handler: ReturnType<typeof upstreamProxy>): ReturnType<typeof upstreamProxy> {
  return (req, res, next) => {
    req.url = `${prefix}${req.url === '/' ? '' : req.url}`;
    handler(req, res, next);
  };
}

export const main = serviceMain('gateway', GatewayConfig, createGatewayService);
