import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Kafka, logLevel, type KafkaMessage } from 'kafkajs';
import { waitFor } from '@solar/chassis/testing';

const ROOT = join(__dirname, '../../..');
const run = promisify(execFile);

export type InfraServer = 'kafka' | 'mongo' | 'redis' | 'mailpit';

/**
 * The scenarios stop and start servers: only the chaos profile's, never the test servers that the main
 * suite (or a colleague's run) shares. `npm run test:chaos` sources .local/chaos/env, which sets this.
 */
export function assertChaosProfile(): void {
  if (process.env.SOLAR_INFRA_ENV !== 'chaos') {
    throw new Error(
      'the chaos suite stops servers: run it with `npm run test:chaos`, against the chaos profile (scripts/infra.sh up chaos)',
    );
  }
}

/** `scripts/infra.sh down chaos <server>` / `up chaos`: a server of the chaos profile stopped or brought back. */
export async function infra(command: 'up' | 'down', ...servers: InfraServer[]): Promise<void> {
  assertChaosProfile();
  await run('bash', [join(ROOT, 'scripts/infra.sh'), command, 'chaos', ...servers], { cwd: ROOT });
}

/** The line each scenario prints: what it counted. */
export function report(scenario: string, text: string): void {
  process.stdout.write(`chaos: ${scenario}: ${text}\n`);
}

/** Runs `task` for 0..count-1 with at most `concurrency` at once; results in index order. */
export async function pool<T>(count: number, concurrency: number, task: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array<T>(count);
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < count; index = next++) results[index] = await task(index);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}

/** How many times each status came back. */
export function tally(statuses: number[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

/**
 * The Message-ID of every message in Mailpit to an address of `domain`, per recipient address (lower
 * case). Read from the plain message list, filtered here: Mailpit's search scans every message and
 * takes seconds a page on a loaded machine, the list milliseconds (the chaos Mailpit starts empty each run).
 */
async function mailsPerAddress(mailpitUrl: string, domain: string): Promise<Map<string, string[]>> {
  const mails = new Map<string, string[]>();
  const pageSize = 1_000;
  for (let start = 0; ; start += pageSize) {
    const url = new URL('/api/v1/messages', mailpitUrl);
    url.searchParams.set('start', String(start));
    url.searchParams.set('limit', String(pageSize));
    const response = await fetch(url);
    if (!response.ok) throw new Error(`Mailpit answered ${response.status} to ${url.pathname}`);
    const page = (await response.json()) as { messages: { MessageID: string; To: { Address: string }[] }[] };
    for (const message of page.messages) {
      for (const { Address } of message.To) {
        const address = Address.toLowerCase();
        if (address.endsWith(`@${domain}`)) mails.set(address, [...(mails.get(address) ?? []), message.MessageID]);
      }
    }
    if (page.messages.length < pageSize) return mails;
  }
}

export interface MailTally {
  /** Messages in Mailpit for the expected addresses, copies included. */
  emails: number;
  /** Copies of an email already there, with its Message-ID: a send the provider accepted just before a crash, sent again. */
  resent: string[];
}

/**
 * Waits until every expected address has its email and `settled` says nothing is still on its way,
 * then checks: every address got exactly one email (one Message-ID), none went elsewhere, and at most
 * `maxResent` copies were sent again. A copy keeps the Message-ID of the original, so mail clients
 * show it once: notification can shrink, not close, the window between the provider accepting a
 * message and the delivery record saying so, and a process killed in it sends again on restart.
 */
export async function expectOneMailEach(
  mailpitUrl: string,
  domain: string,
  expected: string[],
  options: { settled?: () => Promise<boolean>; maxResent?: number } = {},
): Promise<MailTally> {
  const settled = options.settled ?? (() => sleep(3_000).then(() => true));
  try {
    await waitFor(
      async () => {
        const mails = await mailsPerAddress(mailpitUrl, domain);
        return expected.every((address) => mails.has(address)) ? true : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 500, what: `an email to each of ${expected.length} addresses` },
    );
    await waitFor(async () => ((await settled()) ? true : undefined), { timeoutMs: 60_000, intervalMs: 500, what: 'deliveries to settle' });
  } catch {
    // Fall through: the check below names what is missing.
  }
  const mails = await mailsPerAddress(mailpitUrl, domain);
  const lost = expected.filter((address) => !mails.has(address));
  const expectedSet = new Set(expected);
  const unexpected = [...mails.keys()].filter((address) => !expectedSet.has(address));
  const duplicated: string[] = [];
  const resent: string[] = [];
  for (const [address, ids] of mails) {
    const distinct = new Set(ids);
    if (distinct.size > 1) duplicated.push(`${address} (${distinct.size} different emails)`);
    if (ids.length > distinct.size) resent.push(`${address} ×${ids.length} (Message-ID ${ids[0]})`);
  }
  const tooManyResent = resent.length > (options.maxResent ?? 0);
  if (lost.length || duplicated.length || unexpected.length || tooManyResent) {
    throw new Error(
      [
        lost.length ? `${lost.length} address(es) got no email: ${lost.join(', ')}` : '',
        duplicated.length ? `${duplicated.length} address(es) got more than one email: ${duplicated.join(', ')}` : '',
        tooManyResent ? `${resent.length} email(s) sent again (at most ${options.maxResent ?? 0} allowed): ${resent.join(', ')}` : '',
        unexpected.length ? `email to addresses never registered: ${unexpected.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('; '),
    );
  }
  return { emails: [...mails.values()].reduce((sum, ids) => sum + ids.length, 0), resent };
}

/** Every message of the topics from the beginning, read once by a consumer group of its own, until it has `until` of them. */
export async function readTopic(
  brokers: string,
  topic: string,
  until: (messages: KafkaMessage[]) => boolean,
  { timeoutMs = 60_000, group }: { timeoutMs?: number; group: string },
): Promise<KafkaMessage[]> {
  const kafka = new Kafka({ brokers: brokers.split(','), clientId: 'chaos-reader', logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: group, allowAutoTopicCreation: false });
  const messages: KafkaMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        messages.push(message);
      },
    });
    await waitFor(() => (until(messages) ? true : undefined), { timeoutMs, intervalMs: 250, what: `the messages on ${topic}` }).catch(
      () => undefined,
    );
    return messages;
  } finally {
    await consumer.disconnect();
  }
}
