import { createHmac, generateKeyPairSync, randomBytes, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SnsMessage } from '@solar/contracts';
import { snsStringToSign } from '../src/webhooks/sns-signature';

/** What each provider does to sign a webhook, with keys the tests make themselves. */

export function sendgridKeys() {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    privateKey,
    /** As SendGrid's settings page shows it: base64 DER SubjectPublicKeyInfo. */
    publicKeyBase64: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
  };
}

export function sendgridSign(privateKey: KeyObject, timestamp: string, body: string | Buffer): string {
  return sign('sha256', Buffer.concat([Buffer.from(timestamp), Buffer.from(body)]), { key: privateKey, dsaEncoding: 'der' }).toString(
    'base64',
  );
}

export function mailgunSignature(signingKey: string, timestamp: string, token = randomBytes(25).toString('hex')) {
  return {
    timestamp,
    token,
    signature: createHmac('sha256', signingKey)
      .update(timestamp + token)
      .digest('hex'),
  };
}

export interface SnsSigner {
  certificatePem: string;
  certificate: X509Certificate;
  privateKeyPem: string;
}

/**
 * A self-signed RSA certificate like the one SNS signs with. Node cannot issue certificates, so the
 * openssl command line (Debian's) makes it.
 */
export function snsSigner(days = 2, subject = '/CN=sns.amazonaws.com'): SnsSigner {
  const dir = mkdtempSync(join(tmpdir(), 'sns-cert-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-days',
        String(days),
        '-subj',
        subject,
      ],
      { stdio: 'ignore' },
    );
    const certificatePem = readFileSync(join(dir, 'cert.pem'), 'utf8');
    return { certificatePem, certificate: new X509Certificate(certificatePem), privateKeyPem: readFileSync(join(dir, 'key.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export type UnsignedSnsMessage = Omit<SnsMessage, 'Signature' | 'SignatureVersion'>;

export function snsSign(signer: SnsSigner, message: UnsignedSnsMessage, version: '1' | '2' = '2'): SnsMessage {
  const unsigned: SnsMessage = { ...message, SignatureVersion: version, Signature: 'x' };
  const signature = sign(version === '1' ? 'sha1' : 'sha256', Buffer.from(snsStringToSign(unsigned)), signer.privateKeyPem);
  return { ...unsigned, Signature: signature.toString('base64') };
}

export function sesBounceNotification(options: {
  topicArn: string;
  certUrl: string;
  recipients: string[];
  bounceType?: 'Permanent' | 'Transient';
  messageId?: string;
  /** When SNS published it (default: now). */
  timestamp?: Date;
}): UnsignedSnsMessage {
  return {
    Type: 'Notification',
    MessageId: options.messageId ?? `msg-${randomBytes(6).toString('hex')}`,
    TopicArn: options.topicArn,
    Message: JSON.stringify({
      notificationType: 'Bounce',
      bounce: {
        bounceType: options.bounceType ?? 'Permanent',
        bounceSubType: 'General',
        bouncedRecipients: options.recipients.map((emailAddress) => ({ emailAddress })),
        timestamp: new Date().toISOString(),
      },
      mail: { messageId: 'ses-1', destination: options.recipients },
    }),
    Timestamp: (options.timestamp ?? new Date()).toISOString(),
    SigningCertURL: options.certUrl,
  };
}
