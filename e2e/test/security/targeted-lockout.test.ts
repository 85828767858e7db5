import { Kafka, logLevel } from 'kafkajs';
import { Topics } from '@solar/contracts';
import { ensureTopics } from '@solar/chassis';
import { TestStack } from '../support/stack';

// Security review finding 4a: ten wrong passwords from anyone used to lock the address for everyone.
const stack = new TestStack('lockout-e2e');
const kafka = new Kafka({ brokers: stack.infra.kafkaBrokers.split(','), clientId: 'lockout-e2e-test', logLevel: logLevel.NOTHING });
let gatewayUrl: string;

/** A sign-in through the gateway, from the client address `ip` (the gateway trusts its loopback peer's X-Forwarded-For). */
function signIn(email: string, password: string, ip: string) {
  return stack.fetch(`${gatewayUrl}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
    body: JSON.stringify({ email, password }),
  });
}

beforeAll(async () => {
  await ensureTopics(kafka, [
    stack.topic(Topics.identityUser),
    stack.topic(Topics.identitySecurity),
    stack.topic(Topics.notificationEmailRequests),
  ]);
  await stack.startIdentity({ LOGIN_ADDRESS_MAX_FAILURES: '30' });
  gatewayUrl = (await stack.startGateway()).url;
});

afterAll(() => stack.stop());

describe('targeted lockout', () => {
  it("an attacker's wrong passwords lock the address for the attacker only, not for its owner elsewhere", async () => {
    const email = `victim.${stack.name}@example.test`.toLowerCase();
    const password = 'correct horse battery';
    await stack.signUp(email, password);

    const attacker = '198.51.100.66';
    const owner = '203.0.113.10';
    for (let i = 0; i < 12; i++) await signIn(email, `guess number ${i}`, attacker);
    const attackerAgain = await signIn(email, password, attacker);
    expect(attackerAgain.status).toBe(423);

    const ownerSignIn = await signIn(email, password, owner);
    expect(ownerSignIn.status).toBe(200);
    expect(await ownerSignIn.json()).toMatchObject({ token_type: 'Bearer' });
  });

  it('guesses spread over many clients ask for a CAPTCHA past the address threshold, and lock nobody', async () => {
    const email = `spread.${stack.name}@example.test`.toLowerCase();
    const password = 'correct horse battery';
    await stack.signUp(email, password);

    // 30 guesses, 3 from each of 10 addresses: no client reaches its own lock of 10.
    for (let i = 0; i < 30; i++) expect((await signIn(email, `guess ${i}`, `198.51.100.${i % 10}`)).status).toBe(401);
    const refused = await signIn(email, password, '203.0.113.10');
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ code: 'captcha_required' });
    expect(refused.headers.get('retry-after')).not.toBeNull();
  });
});
