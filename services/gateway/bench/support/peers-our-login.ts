import { randomUUID } from 'node:crypto';
import { isEvent, fromKafkaMessage, Topics } from '@solar/contracts';
import { KafkaCollector, waitFor } from '@solar/chassis/testing';
import type { TestStack } from '../../test/support/stack';

export interface OurLogin {
  /** One password sign-in through the gateway as worker `worker`'s own account; throws unless 200 with tokens. */
  login(worker: number): Promise<void>;
}

/**
 * Registers and verifies `accounts` users through the gateway (identity and the gateway started, the
 * stack's topics created), then signs them in: worker n always uses account n, so no two workers
 * share an account's state and the sign-in throttle, which counts failures per address, never trips.
 * The verification links are read from the EmailRequested events identity publishes, so
 * notification need not run.
 */
export async function ourLogin(stack: TestStack, gatewayUrl: string, accounts: number): Promise<OurLogin> {
  const password = `bench ${randomUUID()}`;
  const emails = Array.from({ length: accounts }, (_, n) => `bench-${n}.${stack.name}@bench.test`.toLowerCase());
  const collector = new KafkaCollector(stack.infra.kafkaBrokers, [stack.topic(Topics.notificationEmailRequests)]);
  await collector.start();
  try {
    for (const email of emails) await post(`${gatewayUrl}/v1/auth/register`, { email, password }, 201);
    const tokenFor = (email: string) => {
      for (const { message } of collector.messages) {
        const event = fromKafkaMessage(message);
        if (isEvent(event, 'EmailRequested') && event.data.to === email && event.data.template === 'verify-email') {
          return new URL(event.data.variables.link!).searchParams.get('token') ?? undefined;
        }
      }
      return undefined;
    };
    for (const email of emails) {
      const token = await waitFor(() => tokenFor(email), { what: `the verification link for ${email}` });
      await post(`${gatewayUrl}/v1/auth/verify-email`, { token }, 200);
    }
  } finally {
    await collector.stop();
  }
  return {
    async login(worker) {
      const email = emails[worker % accounts]!;
      const body = (await post(`${gatewayUrl}/v1/auth/login`, { email, password }, 200)) as { access_token?: unknown };
      if (typeof body.access_token !== 'string') throw new Error('login answered 200 without an access token');
    },
  };
}

async function post(url: string, body: unknown, expected: number): Promise<unknown> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  if (response.status !== expected) throw new Error(`${new URL(url).pathname} answered ${response.status}: ${text.slice(0, 200)}`);
  return JSON.parse(text) as unknown;
}
