import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { EventWebhook } from '@sendgrid/eventwebhook';
import { sendgridKeys, sendgridSign } from '../../test/webhooks-signers';
import { sendgridPublicKey, verifySendgridSignature } from './sendgrid-signature';

const now = new Date('2026-03-02T10:00:00Z');
const timestamp = String(now.getTime() / 1000);
const body = Buffer.from('[{"email":"a@example.com","event":"bounce","type":"bounce","timestamp":1772445600}]');
const maxSkewMs = 5 * 60_000;

describe('SendGrid event webhook signature', () => {
  const keys = sendgridKeys();
  const publicKey = sendgridPublicKey(keys.publicKeyBase64);
  const check = (overrides: Partial<Parameters<typeof verifySendgridSignature>[0]> = {}) =>
    verifySendgridSignature({
      publicKey,
      signature: sendgridSign(keys.privateKey, timestamp, body),
      timestamp,
      rawBody: body,
      now,
      maxSkewMs,
      ...overrides,
    });

  it('accepts a signature over the timestamp and the raw body', () => {
    expect(check()).toEqual({ ok: true });
  });

  it('refuses a signature made with another key', () => {
    const other = sendgridKeys();
    expect(check({ signature: sendgridSign(other.privateKey, timestamp, body) }).ok).toBe(false);
  });

  it('refuses a tampered body, even one that parses to the same JSON', () => {
    expect(check({ rawBody: Buffer.from(body.toString().replace('bounce', 'delivered')) }).ok).toBe(false);
    expect(check({ rawBody: Buffer.concat([body, Buffer.from(' ')]) }).ok).toBe(false);
  });

  it('refuses a signed body replayed under a new timestamp', () => {
    const later = String(Number(timestamp) + 60);
    expect(check({ timestamp: later, now: new Date(now.getTime() + 60_000) }).ok).toBe(false);
  });

  it('refuses stale and future timestamps beyond the allowed skew', () => {
    const old = String(Number(timestamp) - 301);
    expect(check({ timestamp: old, signature: sendgridSign(keys.privateKey, old, body) })).toEqual({
      ok: false,
      reason: 'timestamp outside the allowed skew',
    });
    const future = String(Number(timestamp) + 301);
    expect(check({ timestamp: future, signature: sendgridSign(keys.privateKey, future, body) }).ok).toBe(false);
    const edge = String(Number(timestamp) - 299);
    expect(check({ timestamp: edge, signature: sendgridSign(keys.privateKey, edge, body) }).ok).toBe(true);
  });

  it('refuses missing headers and malformed values', () => {
    expect(check({ signature: undefined }).ok).toBe(false);
    expect(check({ timestamp: undefined }).ok).toBe(false);
    expect(check({ signature: '' }).ok).toBe(false);
    expect(check({ signature: 'bm90IGEgc2lnbmF0dXJl' }).ok).toBe(false);
    expect(check({ timestamp: `${timestamp}.5` }).ok).toBe(false);
  });

  it('takes the key as SendGrid shows it or as PEM, and only P-256', () => {
    const pem = (key: KeyObject) => key.export({ type: 'spki', format: 'pem' }).toString();
    expect(sendgridPublicKey(pem(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey)).asymmetricKeyType).toBe('ec');
    expect(() => sendgridPublicKey(pem(generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey))).toThrow(/P-256/);
    expect(() => sendgridPublicKey(pem(generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey))).toThrow(/P-256/);
    expect(() => sendgridPublicKey('not a key')).toThrow();
  });
});

/** SendGrid's own helper as the oracle: on bodies it reads the same way (UTF-8 text), both must agree. */
describe('SendGrid event webhook signature, against @sendgrid/eventwebhook', () => {
  const keys = sendgridKeys();
  const other = sendgridKeys();
  const oracle = new EventWebhook();
  const oracleKey = oracle.convertPublicKeyToECDSA(keys.publicKeyBase64);
  const signed = sendgridSign(keys.privateKey, timestamp, body);
  const cases: [name: string, signature: string, rawBody: Buffer][] = [
    ['a valid signature', signed, body],
    ['another key', sendgridSign(other.privateKey, timestamp, body), body],
    ['a changed body', signed, Buffer.from(body.toString().replace('bounce', 'delivered'))],
  ];

  it.each(cases)('agrees on %s', (_name, signature, rawBody) => {
    const ours = verifySendgridSignature({
      publicKey: sendgridPublicKey(keys.publicKeyBase64),
      signature,
      timestamp,
      rawBody,
      now,
      maxSkewMs,
    });
    expect(ours.ok).toBe(oracle.verifySignature(oracleKey, rawBody.toString('utf8'), signature, timestamp));
  });
});
