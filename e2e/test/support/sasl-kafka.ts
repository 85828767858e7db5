import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { waitFor } from '@solar/chassis/testing';

const ROOT = join(__dirname, '../../..');
/** The broker's jars, which `scripts/infra.sh up` caches before any test runs. */
const KAFKA_LIB = join(ROOT, '.local/cache/kafka-lib');
const JAVA = process.env.INFRA_JAVA ?? 'java';

export const ADMIN = 'admin';

/** A port free now on loopback, for a server that must know its address before it starts. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

const jaasOf = (username: string, password: string, users = '') =>
  `org.apache.kafka.common.security.plain.PlainLoginModule required username="${username}" password="${password}"${users};`;

/**
 * A single-node KRaft broker of its own whose only client listener takes SASL/PLAIN and whose
 * authorizer refuses whatever no ACL allows, as a production cluster the ACLs in deploy/kafka are
 * written for. The shared test broker has neither, so the ACLs cannot be checked there.
 */
export class SaslKafka {
  private child: ChildProcess | undefined;
  private port = 0;
  readonly dir: string;
  readonly logFile: string;

  /** `users`: principal name to password; `admin` is added, a super user. */
  constructor(
    name: string,
    private readonly users: Record<string, string>,
  ) {
    this.dir = join(ROOT, '.local/test/sasl-kafka', name);
    this.logFile = join(this.dir, 'kafka.log');
  }

  get brokers(): string {
    return `127.0.0.1:${this.port}`;
  }

  passwordOf(user: string): string {
    const password = user === ADMIN ? 'admin-secret' : this.users[user];
    if (password === undefined) throw new Error(`no such principal: ${user}`);
    return password;
  }

  /**
   * A kafkajs client authenticated as this principal (with its password unless given another).
   * `refusals` collects the broker's authorization errors that kafkajs only logs: a refused group
   * coordinator lookup is thrown as "Failed to find group coordinator", its reason logged at debug.
   */
  client(user: string, password = this.passwordOf(user), refusals: string[] = []): Kafka {
    return new Kafka({
      clientId: `acl-test-${user}`,
      brokers: [this.brokers],
      sasl: { mechanism: 'plain', username: user, password },
      logLevel: logLevel.DEBUG,
      logCreator: () => (entry) => {
        const type = (entry.log as { error?: { type?: unknown } }).error?.type;
        if (typeof type === 'string' && type.endsWith('AUTHORIZATION_FAILED')) refusals.push(type);
      },
      retry: { retries: 2, initialRetryTime: 100 },
    });
  }

  /** The client properties of the admin principal, for Kafka's own tools (`--command-config`). */
  adminConfig(): string {
    const file = join(this.dir, 'admin.properties');
    writeFileSync(
      file,
      ['security.protocol=SASL_PLAINTEXT', 'sasl.mechanism=PLAIN', `sasl.jaas.config=${jaasOf(ADMIN, this.passwordOf(ADMIN))}`].join('\n'),
    );
    return file;
  }

  /** The command that runs Kafka's ACL tool from the same jars (what `kafka-acls.sh` does). */
  aclCommand(): string {
    return `${JAVA} -cp ${KAFKA_LIB}/* kafka.admin.AclCommand`;
  }

  async start(): Promise<void> {
    if (!existsSync(KAFKA_LIB)) throw new Error(`${KAFKA_LIB} is missing: run \`bash scripts/infra.sh up test\` first`);
    this.port = await freePort();
    const controllerPort = await freePort();
    mkdirSync(join(this.dir, 'data'), { recursive: true });
    const users = Object.entries({ ...this.users, [ADMIN]: this.passwordOf(ADMIN) })
      .map(([user, password]) => ` user_${user}="${password}"`)
      .join('');
    const properties = join(this.dir, 'server.properties');
    writeFileSync(
      properties,
      [
        'process.roles=broker,controller',
        'node.id=1',
        `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
        `listeners=SASL_PLAINTEXT://127.0.0.1:${this.port},CONTROLLER://127.0.0.1:${controllerPort}`,
        `advertised.listeners=SASL_PLAINTEXT://127.0.0.1:${this.port}`,
        'controller.listener.names=CONTROLLER',
        'inter.broker.listener.name=SASL_PLAINTEXT',
        'listener.security.protocol.map=SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT',
        'sasl.enabled.mechanisms=PLAIN',
        'sasl.mechanism.inter.broker.protocol=PLAIN',
        `listener.name.sasl_plaintext.plain.sasl.jaas.config=${jaasOf(ADMIN, this.passwordOf(ADMIN), users)}`,
        'authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer',
        // The controller listener is plaintext, whose principal is ANONYMOUS; it is not reachable by clients.
        'super.users=User:admin;User:ANONYMOUS',
        'allow.everyone.if.no.acl.found=false',
        `log.dirs=${join(this.dir, 'data')}`,
        'auto.create.topics.enable=false',
        'num.partitions=3',
        'offsets.topic.replication.factor=1',
        'offsets.topic.num.partitions=3',
        'transaction.state.log.replication.factor=1',
        'transaction.state.log.min.isr=1',
        'group.initial.rebalance.delay.ms=0',
        'log.cleaner.dedupe.buffer.size=16777216',
      ].join('\n'),
    );
    const jvm = ['-Xms128m', '-Xmx384m', '-cp', `${KAFKA_LIB}/*`];
    const id = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64url');
    const format = spawnSync(JAVA, [...jvm, 'kafka.tools.StorageTool', 'format', '-t', `A${id.slice(1)}`, '-c', properties], {
      encoding: 'utf8',
    });
    if (format.status !== 0) throw new Error(`storage format failed: ${format.stderr || format.stdout}`);
    const log = createWriteStream(this.logFile);
    const child = spawn(JAVA, [...jvm, '-Djava.awt.headless=true', 'kafka.Kafka', properties], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(log);
    child.stderr.pipe(log);
    this.child = child;
    const admin = this.client(ADMIN).admin();
    await waitFor(
      async () => {
        await admin.connect();
        await admin.describeCluster();
        return true;
      },
      { timeoutMs: 90_000, intervalMs: 500, what: `the SASL broker (log: ${this.logFile})` },
    );
    await admin.disconnect();
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
}
