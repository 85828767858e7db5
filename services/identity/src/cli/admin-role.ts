/**
 * Grants or revokes the admin role of an existing account:
 *
 *   npm run admin:role -- grant|revoke <email>
 *   node services/identity/dist/src/cli/admin-role.js grant|revoke <email>
 *
 * Run it where identity runs (say `kubectl exec` into its pod): it reads identity's own configuration
 * from the environment. The address must be verified before it can be granted the role (whoever
 * registered it first holds the account until then). Exit codes: 0 done (or nothing to change),
 * 1 no such account, an unverified address or the last active admin, 2 usage error,
 * 78 bad configuration, 70 anything else. The account's next access token carries the change; tokens
 * already issued keep their roles until they expire (ACCESS_TOKEN_TTL). The change is published
 * (RolesChanged and the account's state) before the command ends, or by identity if Kafka is away.
 */
import { AppError, connectMongo, createSealer, OutboxRelay, OutboxWriter, serviceKit, type Env } from '@solar/chassis';
import { auditEntryModel } from '../audit/audit-entry.model';
import { AuditLog } from '../audit/audit-log';
import { readCliConfig, runCli, type CliOutput } from './cli';
import { Email, Topics } from '@solar/contracts';
import { userStateRenderers } from '../user-state/user-state';
import { userModel } from '../users/user.model';
import { UserRepository } from '../users/user.repository';
import { setAdminRole, type RoleChange } from '../admin/set-admin-role.use-case';

const USAGE = 'usage: admin-role grant|revoke <email>';
const CLI_CONTEXT = { ip: 'cli', userAgent: 'admin-role cli' };

export async function runAdminRole(args: string[], env: Env, out: CliOutput): Promise<number> {
  const [change, address, ...rest] = args;
  const email = Email.safeParse(address);
  if ((change !== 'grant' && change !== 'revoke') || !email.success || rest.length > 0) {
    out.error(USAGE);
    return 2;
  }

  const config = readCliConfig(env, out);
  if (!config) return 78;

  const { logger, publisher } = serviceKit({
    service: 'identity-admin-role',
    config,
    publishes: [Topics.identityUser, Topics.identityUserState],
  });
  const clock = () => new Date();
  const sealer = createSealer(config.DATA_ENCRYPTION_KEYS);
  const db = await connectMongo(config.MONGO_URL);
  try {
    const models = { users: userModel(db), audit: auditEntryModel(db) };
    // Never started: it publishes the changed account's outbox (RolesChanged and its state) once, right
    // away; should Kafka be away, identity's own sweep publishes it later.
    const relay = new OutboxRelay({
      collections: [models.users.collection],
      publisher,
      sealer,
      logger,
      clock,
      renderers: userStateRenderers,
    });
    const run = setAdminRole({
      users: new UserRepository(models.users, new OutboxWriter(relay, sealer, clock)),
      audit: new AuditLog(models.audit, new OutboxWriter(relay, sealer, clock)),
    });
    const result = await run({ account: { email: email.data }, change: change satisfies RoleChange, context: CLI_CONTEXT });
    if (result.changed) await announce(() => relay.flush(models.users.collection, result.userId), out);
    const verb = change === 'grant' ? 'granted to' : 'revoked from';
    out.log(
      result.changed
        ? `admin ${verb} ${email.data}; it takes effect with the account's next access token`
        : `nothing to change: ${email.data} ${change === 'grant' ? 'already has' : 'does not have'} the admin role`,
    );
    return 0;
  } catch (error) {
    if (error instanceof AppError && error.code === 'not_found') {
      out.error(`no account has the address ${email.data}`);
      return 1;
    }
    if (error instanceof AppError && error.code === 'last_admin') {
      out.error(`${email.data} is the last active admin: grant the role to another verified account first`);
      return 1;
    }
    if (error instanceof AppError && error.code === 'forbidden') {
      out.error(`${email.data} is not verified: the account's owner must follow the verification link first`);
      return 1;
    }
    throw error;
  } finally {
    await publisher.stop();
    await db.close();
  }
}

/** The change is made and its events are in the outbox: Kafka being away is worth a warning, not a failure. */
async function announce(flush: () => Promise<void>, out: CliOutput): Promise<void> {
  try {
    await flush();
  } catch (error) {
    out.error(
      `warning: the change is saved but not yet published (${error instanceof Error ? error.message : String(error)}); identity publishes it shortly`,
    );
  }
}

if (require.main === module) runCli('admin-role', (out) => runAdminRole(process.argv.slice(2), process.env, out));
