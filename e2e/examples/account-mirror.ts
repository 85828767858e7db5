/**
 * An integrator's mirror of every account, built from identity.user-state.v1 with nothing but kafkajs.
 * docs/events.md shows this file as it is; e2e/test/user-state.test.ts runs it against the real stack.
 */
import { Kafka, logLevel, type KafkaMessage } from 'kafkajs';

/** The value of a record on identity.user-state.v1 (contracts/schemas/identity.user-state.v1/UserState.v1.json). */
export interface AccountState {
  id: string;
  email: string;
  emailVerified: boolean;
  roles: string[];
  displayName: string | null;
  locale: string;
  twoFactorEnabled: boolean;
  /** Absent on records published before accounts could be disabled. */
  disabled?: boolean;
  pendingDeletion: { purgeAt: string } | null;
  createdAt: string;
}

export interface AccountMirror {
  /** Every account that exists, by user id, as of the records read so far. */
  readonly accounts: ReadonlyMap<string, AccountState>;
  /** Resolves once every record that was on the topic when it was called has been applied. */
  caughtUp(): Promise<void>;
  stop(): Promise<void>;
}

const USER_STATE = 'com.solar-intelligence.identity.UserState.v1';

export async function mirrorAccounts(options: {
  brokers: string[];
  /** Your own consumer group: a new one reads the topic from the start and so learns every account. */
  groupId: string;
  /** identity.user-state.v1, with your deployment's prefix if it has one. */
  topic?: string;
}): Promise<AccountMirror> {
  const topic = options.topic ?? 'identity.user-state.v1';
  const kafka = new Kafka({ clientId: options.groupId, brokers: options.brokers, logLevel: logLevel.WARN });
  const accounts = new Map<string, AccountState>();
  /** The next offset to read, per partition: how far the mirror is. */
  const next = new Map<number, bigint>();

  const apply = (partition: number, message: KafkaMessage) => {
    const userId = message.key?.toString();
    // The type names the shape of the value; a later version would come on a topic of its own.
    const type = message.headers?.ce_type?.toString();
    if (userId && type === USER_STATE) {
      // A record replaces the account's state whole, so reading one twice (after a rebalance, say)
      // changes nothing; a null value (tombstone) means the account was deleted.
      if (message.value === null) accounts.delete(userId);
      else accounts.set(userId, JSON.parse(message.value.toString()) as AccountState);
    }
    next.set(partition, BigInt(message.offset) + 1n);
  };

  const consumer = kafka.consumer({ groupId: options.groupId });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  // One key is always in one partition, and a partition is read in order: an account's records
  // arrive in the order identity wrote them.
  await consumer.run({ eachMessage: async ({ partition, message }) => apply(partition, message) });

  const admin = kafka.admin();
  await admin.connect();
  const caughtUp = async () => {
    const ends = await admin.fetchTopicOffsets(topic);
    for (;;) {
      // An empty partition (low = high) has nothing to read; otherwise its last record must have been.
      if (ends.every(({ partition, low, high }) => BigInt(low) >= BigInt(high) || (next.get(partition) ?? 0n) >= BigInt(high))) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  return {
    accounts,
    caughtUp,
    stop: async () => {
      await admin.disconnect();
      await consumer.disconnect();
    },
  };
}
