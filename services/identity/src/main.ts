import { Topics } from '@solar/contracts';
import {
  connectMongo,
  createHttpApp,
  createSealer,
  listen,
  loadConfig,
  OutboxRelay,
  runStopSteps,
  serviceKit,
  serviceMain,
  trustProxySetting,
  type Env,
  type Logger,
  type RunningServer,
  type Service,
} from '@solar/chassis';
import { IdentityConfig } from './config';
import { argon2idHasher } from './registration/password-hasher';
import { register } from './registration/register.use-case';
import { registrationRoutes } from './registration/register.routes';
import { userModel } from './users/user.model';
import { UserRepository } from './users/user.repository';
import { verificationRoutes } from './verification/verification.routes';
import { verifyEmail } from './verification/verify-email.use-case';

export function createIdentityService(env: Env = process.env, overrides: { logger?: Logger; clock?: () => Date } = {}): Service {
  const config = loadConfig(IdentityConfig, env);
  const { logger, health, kafka, publisher } = serviceKit({
    service: 'identity',
    config,
    publishes: [Topics.identityUser, Topics.identitySecurity, Topics.notificationEmailRequests],
    logger: overrides.logger,
  });
  const clock = overrides.clock ?? (() => new Date());
  const sealer = createSealer(config.DATA_ENCRYPTION_KEYS);
  let stopSteps: Parameters<typeof runStopSteps>[0] = [];

  return {
    async start() {
      const db = await connectMongo(config.MONGO_URL, { health });
      const users = userModel(db);
      await users.init();
      const relay = new OutboxRelay({
        collections: [users.collection],
        publisher,
        sealer,
        logger,
        clock,
        sweepIntervalMs: config.OUTBOX_SWEEP_INTERVAL,
        settleMs: config.OUTBOX_SETTLE,
      });
      const repository = new UserRepository(users, relay, sealer, clock);
      const app = createHttpApp({
        logger,
        health,
        bodyLimit: config.BODY_LIMIT,
        trustProxy: trustProxySetting(config.TRUST_PROXY),
        routes: (router) => {
          router.use(
            registrationRoutes(
              register({
                users: repository,
                hasher: argon2idHasher,
                clock,
                verification: { ttlMs: config.EMAIL_VERIFICATION_TTL, linkBase: config.APP_URL },
              }),
            ),
          );
          router.use(verificationRoutes(verifyEmail({ users: repository, clock })));
        },
      });
      // Kafka may be away at start; the outbox keeps every event until it is back.
      publisher.connect().catch(() => undefined);
      relay.start();
      const server: RunningServer = await listen(app, config.PORT, config.HOST);
      stopSteps = [
        ['readiness', () => health.startDraining()],
        ['http', () => server.close(config.SHUTDOWN_TIMEOUT / 2)],
        ['outbox relay', () => relay.stop()],
        ['kafka producer', () => publisher.stop()],
        ['mongo', () => db.close()],
      ];
      return { port: server.port };
    },
    stop: () => runStopSteps(stopSteps, logger),
  };
}

export const main = serviceMain('identity', IdentityConfig, createIdentityService);
