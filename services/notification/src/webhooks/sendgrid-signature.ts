import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { freshTimestamp, refused, verified, type Verification } from './webhook-verification';

export const SENDGRID_SIGNATURE_HEADER = 'x-twilio-email-event-webhook-signature';
export const SENDGRID_TIMESTAMP_HEADER = 'x-twilio-email-event-webhook-timestamp';

/**
 * The verification key as SendGrid's settings page shows it (base64 DER SubjectPublicKeyInfo), or PEM.
 * Throws unless it is an EC P-256 key, so a wrong value stops the service at start.
 */
export function sendgridPublicKey(value: string): KeyObject {
  const text = value.trim();
  const key = text.startsWith('-----BEGIN')
    ? createPublicKey(text)
    : createPublicKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'spki' });
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new Error('the SendGrid webhook key must be an EC P-256 public key');
  }
  return key;
}

/**
 * SendGrid's Event Webhook signature: ECDSA P-256 with SHA-256 over the timestamp header followed by
 * the raw body bytes, DER-encoded and base64 in the header. Node's crypto does what
 * @sendgrid/eventwebhook does, but over the bytes as received (the helper decodes them to a string
 * first) and without a pure-JS curve implementation.
 */
export function verifySendgridSignature(input: {
  publicKey: KeyObject;
  signature: string | undefined;
  timestamp: string | undefined;
  rawBody: Buffer;
  now: Date;
  maxSkewMs: number;
}): Verification {
  if (!input.signature) return refused('signature header missing');
  const fresh = freshTimestamp(input.timestamp, input.now, input.maxSkewMs);
  if (!fresh.ok) return fresh;
  const signed = Buffer.concat([Buffer.from(input.timestamp ?? '', 'utf8'), input.rawBody]);
  let valid: boolean;
  try {
    valid = verify('sha256', signed, { key: input.publicKey, dsaEncoding: 'der' }, Buffer.from(input.signature, 'base64'));
  } catch {
    // A signature that is not even DER is as wrong as one that does not match.
    valid = false;
  }
  return valid ? verified : refused('signature does not match');
}
