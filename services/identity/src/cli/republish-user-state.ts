/**
 * Republishes the state of every account to identity.user-state.v1 (after the topic was lost, or
 * once the projection changed shape):
 *
 *   npm run user-state:republish -- [--page-size N]
 *   node services/identity/dist/src/cli/republish-user-state.js [--page-size N]
 *
 * Run it where identity runs: it reads identity's own configuration from the environment and needs
 * Mongo and Kafka. It goes through the accounts in pages (500 by default) and may be stopped and run
 * again at any time. Exit codes: 0 done, 2 usage error, 78 bad configuration, 70 anything else.
 */
import { connectMongo, createSealer, OutboxRelay, OutboxWriter, serviceKit, type Env } from '@solar/chassis';
import { Topics } from '@solar/contracts';
import { z } from 'zod';
import { republishUserState } from '../user-state/republish-user-state.use-case';
import { userStateRenderers } from '../user-state/user-state';
import { userModel } from '../users/user.model';
import { UserRepository } from '../users/user.repository';
import { readCliConfig, runCli, type CliOutput } from './cli';

const USAGE = 'usage: republish-user-state [--page-size N]  (N from 1 to 5000, default 500)';
const PageSize = z.coerce.number().int().min(1).max(5_000);

function pageSizeOf(args: string[]): number | undefined {
  if (args.length === 0) return 500;
  const [flag, value, ...rest] = args;
  const parsed = PageSize.safeParse(value);
  return flag === '--page-size' && rest.length === 0 && parsed.success ? parsed.data : undefined;
}

export async function runRepublishUserState(args: string[], env: Env, out: CliOutput): Promise<number> {
  const pageSize = pageSizeOf(args);
  if (pageSize === undefined) {
    out.error(USAGE);
    return 2;
  }
  const config = readCliConfig(env, out);
  if (!config) return 78;

  const { logger, publisher } = serviceKit({ service: 'identity-republish-user-state', config, publishes: [Topics.identityUserState] });
  const clock = () => new Date();
  const sealer = createSealer(config.DATA_ENCRYPTION_KEYS);
  const db = await connectMongo(config.MONGO_URL);
  try {
    const users = userModel(db);
    // Never started: this relay publishes only the accounts the command flushes; identity's own sweep
    // would publish anything left behind by a stop half-way.
    const relay = new OutboxRelay({ collections: [users.collection], publisher, sealer, logger, clock, renderers: userStateRenderers });
    const run = republishUserState({
      users: new UserRepository(users, new OutboxWriter(relay, sealer, clock)),
      flush: (userId) => relay.flush(users.collection, userId),
    });
    const total = await run({ pageSize, onPage: (done) => out.log(`${done} accounts republished`) });
    out.log(`done: ${total} accounts republished to ${config.KAFKA_TOPIC_PREFIX}${Topics.identityUserState}`);
    return 0;
  } finally {
    await publisher.stop();
    await db.close();
  }
}

if (require.main === module) runCli('republish-user-state', (out) => runRepublishUserState(process.argv.slice(2), process.env, out));
