/**
 * The retry loop of deliverEmail on its own, with an in-memory delivery store, a scripted provider,
 * a fixed clock and recorded sleeps: which failures are retried, how long it waits (the full-jitter
 * schedule), that the claim's lease is renewed to outlast each wait and the next call, and that a
 * worker whose claim was taken over stops sending. The same take-over against the Mongo-wire server
 * and the real store: delivery-lease.test.ts.
 */
import { randomUUID } from 'node:crypto';
import type { AnyCloudEvent, EventData } from '@solar/contracts';
import { createSealer, parseKeyRing } from '@solar/chassis';
import { testKeyRing } from '@solar/chassis/testing';
import { deliverEmail, type DeliveryStore } from '../src/delivery/deliver-email.use-case';
import type { Claim } from '../src/delivery/delivery.repository';
import { SendFailure, failureFromHttp } from '../src/providers/send-failure';
import { scriptedProvider } from './support/scripted-provider';

const NOW = new Date('2026-11-28T12:00:00Z');
const LEASE_MS = 60_000;
const TIMEOUT_MS = 10_000;

class MemoryStore implements DeliveryStore {
  readonly renewals: Date[] = [];
  readonly finished: { status: 'sent' | 'failed'; events: AnyCloudEvent[] }[] = [];
  claimTaken = false;
  lostAfterRenewals = Infinity;

  async claim(): Promise<Claim | null> {
    if (this.claimTaken) return null;
    this.claimTaken = true;
    return { eventId: 'e', attempt: 1 };
  }
  async renew(_claim: Claim, leaseUntil: Date): Promise<boolean> {
    if (this.renewals.length >= this.lostAfterRenewals) return false;
    this.renewals.push(leaseUntil);
    return true;
  }
  async markSent(_claim: Claim, _result: unknown, events: AnyCloudEvent[]): Promise<void> {
    this.finished.push({ status: 'sent', events });
  }
  async markFailed(_claim: Claim, _error: string, events: AnyCloudEvent[]): Promise<void> {
    this.finished.push({ status: 'failed', events });
  }
}

function setup(script: (Error | 'ok')[], attempts = 4) {
  const store = new MemoryStore();
  const provider = scriptedProvider(script);
  const sleeps: number[] = [];
  const heartbeats: number[] = [];
  const deliver = deliverEmail({
    deliveries: store,
    provider,
    brand: { name: 'Solar Test' },
    linkOrigin: 'https://app.solar.test',
    linkSealer: createSealer(parseKeyRing(testKeyRing())),
    from: 'Solar <no-reply@solar.test>',
    messageIdDomain: 'solar.test',
    leaseMs: LEASE_MS,
    retry: { attempts, initialMs: 100, maxMs: 250 },
    sendTimeoutMs: TIMEOUT_MS,
    clock: () => NOW,
    random: () => 0.5,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
  const eventId = randomUUID();
  const run = () =>
    deliver({
      eventId,
      data: { template: 'password-changed', to: 'ada@example.test', locale: 'en', variables: {}, sealedVariables: {} },
      heartbeat: async () => {
        heartbeats.push(sleeps.length);
      },
    });
  return { store, provider, sleeps, heartbeats, run, eventId };
}

const dataOf = (events: AnyCloudEvent[]) => events[0]!.data as EventData<'EmailSent'> & EventData<'EmailFailed'>;

describe('deliverEmail retries', () => {
  it('retries transient failures on the full-jitter schedule, renewing the lease before each wait', async () => {
    const { store, provider, sleeps, heartbeats, run, eventId } = setup([
      failureFromHttp(503, ''),
      failureFromHttp(429, ''),
      new Error('odd'),
      'ok',
    ]);
    expect(await run()).toBe('sent');

    expect(provider.sent).toHaveLength(4);
    // random() = 0.5 of min(250, 100 * 2^(n-1)): 50, 100, 125.
    expect(sleeps).toEqual([50, 100, 125]);
    // Before each wait, to outlast it and the next call; after it, to check the claim is still this worker's.
    expect(store.renewals.map((until) => until.getTime() - NOW.getTime())).toEqual(
      sleeps.flatMap((delay) => [delay + TIMEOUT_MS + LEASE_MS, TIMEOUT_MS + LEASE_MS]),
    );
    expect(heartbeats).toEqual([0, 1, 2]);
    expect(new Set(provider.sent.map((email) => email.messageId))).toEqual(new Set([`<${eventId}@solar.test>`]));
    expect(store.finished).toHaveLength(1);
    expect(store.finished[0]!.status).toBe('sent');
    expect(dataOf(store.finished[0]!.events)).toMatchObject({ providerMessageId: 'sg-4', attempts: 4 });
  });

  it('stops at the first permanent failure: one attempt, no wait, EmailFailed permanent', async () => {
    const { store, provider, sleeps, run } = setup([new SendFailure(true, 'invalid_recipient', 'HTTP 400: bad address', 400)]);
    expect(await run()).toBe('failed');
    expect(provider.sent).toHaveLength(1);
    expect(sleeps).toEqual([]);
    expect(store.renewals).toEqual([]);
    expect(dataOf(store.finished[0]!.events)).toMatchObject({
      reason: 'invalid_recipient',
      permanent: true,
      attempts: 1,
      provider: 'sendgrid',
    });
  });

  it('answers unavailable after the last transient failure, with EmailFailed(provider_unavailable) not permanent', async () => {
    const timeout = Object.assign(new Error('timeout of 10000ms exceeded'), { code: 'ECONNABORTED' });
    const { store, provider, sleeps, run } = setup([timeout, timeout, timeout], 3);
    expect(await run()).toBe('unavailable');
    expect(provider.sent).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
    expect(store.finished).toHaveLength(1);
    expect(dataOf(store.finished[0]!.events)).toMatchObject({ reason: 'provider_unavailable', permanent: false, attempts: 3 });
    expect(dataOf(store.finished[0]!.events).detail).toContain('ECONNABORTED');
  });

  it('stops sending when its claim was taken over while it waited, and records nothing', async () => {
    const { store, provider, run } = setup([failureFromHttp(503, ''), 'ok']);
    store.lostAfterRenewals = 1; // renewed before the wait; taken over by the check after it
    expect(await run()).toBe('already_handled');
    expect(provider.sent).toHaveLength(1);
    expect(store.finished).toEqual([]);
  });

  it('does not send a request that is already claimed', async () => {
    const { store, provider, run } = setup(['ok']);
    store.claimTaken = true;
    expect(await run()).toBe('already_handled');
    expect(provider.sent).toHaveLength(0);
  });
});
