import { verify, type X509Certificate } from 'node:crypto';
import type { SnsMessage } from '@solar/contracts';
import { refused, verified, type Verification } from './webhook-verification';

/** The envelope Amazon SNS posts to an HTTP(S) subscriber (as text/plain JSON). */

// The fields each message type signs, in the (alphabetical) order SNS documents.
const SIGNED_FIELDS = {
  Notification: ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'],
  SubscriptionConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
  UnsubscribeConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
} as const satisfies Record<SnsMessage['Type'], readonly (keyof SnsMessage)[]>;

/** "Name\nvalue\n" for each signed field present; an absent Subject is left out, not written empty. */
export function snsStringToSign(message: SnsMessage): string {
  return SIGNED_FIELDS[message.Type]
    .flatMap((field) => {
      const value = message[field];
      return value === undefined ? [] : [`${field}\n${value}\n`];
    })
    .join('');
}

/** SignatureVersion 1 is SHA1withRSA, 2 is SHA256withRSA, both over the string to sign. */
export function verifySnsSignature(message: SnsMessage, certificate: X509Certificate, now: Date): Verification {
  const validFrom = new Date(certificate.validFrom);
  const validTo = new Date(certificate.validTo);
  if (!(validFrom <= now && now <= validTo)) return refused('signing certificate is not valid now');
  if (certificate.publicKey.asymmetricKeyType !== 'rsa') return refused('signing certificate does not hold an RSA key');
  const algorithm = message.SignatureVersion === '1' ? 'sha1' : 'sha256';
  let valid: boolean;
  try {
    valid = verify(
      algorithm,
      Buffer.from(snsStringToSign(message), 'utf8'),
      certificate.publicKey,
      Buffer.from(message.Signature, 'base64'),
    );
  } catch {
    valid = false;
  }
  return valid ? verified : refused('signature does not match');
}

/**
 * Whether we may fetch this URL (a signing certificate or a subscription confirmation): it must match
 * the configured allow-list pattern as written, parse as an http(s) URL, and carry no credentials, so
 * tricks like `https://sns.x.amazonaws.com@evil.example/` or a look-alike host cannot pass.
 */
export function isAllowedSnsUrl(value: string | undefined, pattern: RegExp): value is string {
  if (!value || !pattern.test(value)) return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (url.protocol === 'https:' || url.protocol === 'http:') && url.username === '' && url.password === '';
}
