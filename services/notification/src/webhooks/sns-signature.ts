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

/**
 * An SNS region label such as `us-east-1`, `us-gov-west-1` or `cn-north-1`. Narrower than "any label"
 * on purpose: S3 answers for `sns.s3.amazonaws.com` and `sns.s3-us-west-2.amazonaws.com` (a bucket
 * named `sns`), where anyone can publish a .pem of their own.
 */
const REGION = '[a-z]{2}(?:-[a-z]+)+-\\d+';
/** The only hosts SNS signs from and confirms subscriptions on (no port: https on 443). */
const SNS_HOST = new RegExp(`^sns\\.${REGION}\\.amazonaws\\.com(?:\\.cn)?$`);
/** The subject SNS signing certificates carry: the global name or a regional one. */
const SNS_CERTIFICATE_NAME = new RegExp(`^sns(?:\\.${REGION})?\\.amazonaws\\.com(?:\\.cn)?$`);

/** The common names in a certificate's subject (Node writes one `key=value` per line). */
function commonNames(certificate: X509Certificate): string[] {
  return certificate.subject
    .split('\n')
    .filter((line) => line.startsWith('CN='))
    .map((line) => line.slice(3));
}

/**
 * SHA256withRSA over the string to sign (SignatureVersion 2), by a currently valid certificate issued
 * to SNS. Version 1 (SHA1withRSA) is refused: SHA-1 collisions are practical, and SNS signs with 2 when
 * the topic asks for it (set `SignatureVersion=2` on the topic).
 */
export function verifySnsSignature(message: SnsMessage, certificate: X509Certificate, now: Date): Verification {
  if (message.SignatureVersion !== '2') return refused(`SignatureVersion ${message.SignatureVersion} is not accepted`);
  const validFrom = new Date(certificate.validFrom);
  const validTo = new Date(certificate.validTo);
  if (!(validFrom <= now && now <= validTo)) return refused('signing certificate is not valid now');
  if (certificate.publicKey.asymmetricKeyType !== 'rsa') return refused('signing certificate does not hold an RSA key');
  // The URL's host is checked before the fetch; this checks what was served there is SNS's certificate.
  if (!commonNames(certificate).some((name) => SNS_CERTIFICATE_NAME.test(name))) return refused('signing certificate is not issued to SNS');
  let valid: boolean;
  try {
    valid = verify(
      'sha256',
      Buffer.from(snsStringToSign(message), 'utf8'),
      certificate.publicKey,
      Buffer.from(message.Signature, 'base64'),
    );
  } catch {
    valid = false;
  }
  return valid ? verified : refused('signature does not match');
}

/** A signing certificate (a `.pem` file) or a subscription confirmation (any path). */
export type SnsUrlKind = 'certificate' | 'subscribe';

/**
 * Whether we may fetch this URL. By default: https, no credentials, no port, a host
 * `sns.<region>.amazonaws.com(.cn)`, and for a certificate a path ending `.pem`, so tricks like
 * `https://sns.x.amazonaws.com@evil.example/`, a look-alike host or an S3 bucket named `sns` cannot
 * pass. A configured `override` pattern (SNS_CERT_URL_PATTERN, refused in production) replaces the
 * host rule for local stand-ins; it must match as written, and credentials and the `.pem` rule still apply.
 */
export function isAllowedSnsUrl(value: string | undefined, kind: SnsUrlKind, override?: RegExp): value is string {
  if (!value) return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username !== '' || url.password !== '') return false;
  if (kind === 'certificate' && !url.pathname.endsWith('.pem')) return false;
  if (override) return override.test(value) && (url.protocol === 'https:' || url.protocol === 'http:');
  return url.protocol === 'https:' && url.port === '' && SNS_HOST.test(url.hostname);
}
