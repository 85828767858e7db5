import { createLogger } from '@solar/chassis';
import { mailgunSignature } from '../../test/webhooks-signers';
import { verifyMailgunSignature } from './mailgun-signature';
import { receiveMailgunWebhook } from './receive-webhooks.use-case';
import type { WebhookTokenStore } from './webhook-token.repository';

const now = new Date('2026-03-02T10:00:00Z');
const timestamp = String(now.getTime() / 1000);
const signingKey = 'key-test-signing';
const maxSkewMs = 5 * 60_000;

describe('Mailgun webhook signature', () => {
  const signed = mailgunSignature(signingKey, timestamp);
  const check = (overrides: Partial<Parameters<typeof verifyMailgunSignature>[0]> = {}) =>
    verifyMailgunSignature({ signingKey, ...signed, now, maxSkewMs, ...overrides });

  it('accepts the HMAC of timestamp and token', () => {
    expect(check()).toEqual({ ok: true });
    expect(check({ signature: signed.signature.toUpperCase() }).ok).toBe(true);
  });

  it('refuses another signing key', () => {
    expect(check({ signingKey: 'key-someone-else' }).ok).toBe(false);
  });

  it('refuses a tampered token or timestamp', () => {
    expect(check({ token: `${signed.token}x` }).ok).toBe(false);
    expect(check({ timestamp: String(Number(timestamp) + 1), now }).ok).toBe(false);
  });

  it('refuses a stale timestamp even when correctly signed', () => {
    const old = String(Number(timestamp) - 301);
    expect(check(mailgunSignature(signingKey, old))).toEqual({ ok: false, reason: 'timestamp outside the allowed skew' });
  });

  it('refuses missing and malformed parts', () => {
    expect(check({ signature: undefined }).ok).toBe(false);
    expect(check({ token: undefined }).ok).toBe(false);
    expect(check({ timestamp: undefined }).ok).toBe(false);
    expect(check({ signature: signed.signature.slice(0, 63) }).ok).toBe(false);
    expect(check({ signature: `${signed.signature.slice(0, 63)}z` }).ok).toBe(false);
  });
});

describe('Mailgun webhook use case', () => {
  const remembered = new Set<string>();
  const tokens: WebhookTokenStore = {
    remember: async (token) => (remembered.has(token) ? false : (remembered.add(token), true)),
    forget: async (token) => void remembered.delete(token),
  };
  const recorded: unknown[] = [];
  const receive = receiveMailgunWebhook({
    signingKey,
    tokens,
    maxSkewMs,
    clock: () => now,
    logger: createLogger({ service: 'test', level: 'silent' }),
    record: async (events) => {
      recorded.push(...events);
      return { recorded: events.length, suppressed: events.length };
    },
  });
  const body = (signature: ReturnType<typeof mailgunSignature>) =>
    Buffer.from(
      JSON.stringify({
        signature,
        'event-data': { event: 'failed', severity: 'permanent', recipient: 'gone@example.com', timestamp: Number(timestamp), id: 'e1' },
      }),
    );

  it('refuses a replayed token, and records the event once', async () => {
    const signature = mailgunSignature(signingKey, timestamp);
    await expect(receive({ rawBody: body(signature) })).resolves.toEqual({ recorded: 1, suppressed: 1 });
    await expect(receive({ rawBody: body(signature) })).rejects.toMatchObject({ code: 'unauthorized' });
    expect(recorded).toHaveLength(1);
  });

  it('does not burn a token on a forged call', async () => {
    const signature = mailgunSignature(signingKey, timestamp);
    await expect(receive({ rawBody: body({ ...signature, signature: '0'.repeat(64) }) })).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(receive({ rawBody: body(signature) })).resolves.toMatchObject({ recorded: 1 });
  });

  it('treats a body without a signature block as unsigned', async () => {
    await expect(receive({ rawBody: Buffer.from('{"event-data":{}}') })).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(receive({ rawBody: Buffer.from('not json') })).rejects.toMatchObject({ code: 'unauthorized' });
  });
});
