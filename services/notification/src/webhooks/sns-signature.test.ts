import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sesBounceNotification, snsSign, snsSigner, type SnsSigner } from '../../test/webhooks-signers';
import { snsCertificates } from './sns-certificates';
import type { SnsMessage } from '@solar/contracts';
import { isAllowedSnsUrl, snsStringToSign, verifySnsSignature } from './sns-signature';

const DEFAULT_PATTERN = /^https:\/\/sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\//;
const topicArn = 'arn:aws:sns:eu-west-1:123456789012:ses-bounces';
const certUrl = 'https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-test.pem';

describe('SNS message signature', () => {
  let signer: SnsSigner;
  let other: SnsSigner;
  beforeAll(() => {
    signer = snsSigner();
    other = snsSigner();
  });
  const now = () => new Date();
  const notification = () => sesBounceNotification({ topicArn, certUrl, recipients: ['gone@example.com'] });

  it('builds the documented string to sign, leaving out an absent Subject', () => {
    const message: SnsMessage = {
      Type: 'Notification',
      MessageId: 'm1',
      TopicArn: topicArn,
      Message: 'hello',
      Timestamp: '2026-03-02T10:00:00.000Z',
      SignatureVersion: '2',
      Signature: 's',
      SigningCertURL: certUrl,
    };
    expect(snsStringToSign(message)).toBe(
      `Message\nhello\nMessageId\nm1\nTimestamp\n2026-03-02T10:00:00.000Z\nTopicArn\n${topicArn}\nType\nNotification\n`,
    );
    expect(snsStringToSign({ ...message, Subject: 'S' })).toContain('MessageId\nm1\nSubject\nS\nTimestamp');
    const confirmation = { ...message, Type: 'SubscriptionConfirmation' as const, SubscribeURL: 'https://x/', Token: 't' };
    expect(snsStringToSign(confirmation)).toBe(
      `Message\nhello\nMessageId\nm1\nSubscribeURL\nhttps://x/\nTimestamp\n2026-03-02T10:00:00.000Z\nToken\nt\nTopicArn\n${topicArn}\nType\nSubscriptionConfirmation\n`,
    );
  });

  it('accepts SignatureVersion 1 (SHA1withRSA) and 2 (SHA256withRSA)', () => {
    expect(verifySnsSignature(snsSign(signer, notification(), '1'), signer.certificate, now())).toEqual({ ok: true });
    expect(verifySnsSignature(snsSign(signer, notification(), '2'), signer.certificate, now())).toEqual({ ok: true });
  });

  it('refuses a signature whose version was swapped', () => {
    const v1 = snsSign(signer, notification(), '1');
    expect(verifySnsSignature({ ...v1, SignatureVersion: '2' }, signer.certificate, now()).ok).toBe(false);
  });

  it('refuses a message signed by another certificate', () => {
    expect(verifySnsSignature(snsSign(other, notification()), signer.certificate, now()).ok).toBe(false);
  });

  it('refuses tampered fields, the SES message included', () => {
    const signed = snsSign(signer, notification());
    const message = signed.Message.replace('gone@example.com', 'victim@example.com');
    expect(verifySnsSignature({ ...signed, Message: message }, signer.certificate, now()).ok).toBe(false);
    expect(verifySnsSignature({ ...signed, TopicArn: `${topicArn}-x` }, signer.certificate, now()).ok).toBe(false);
    expect(verifySnsSignature({ ...signed, Subject: 'added' }, signer.certificate, now()).ok).toBe(false);
    expect(verifySnsSignature({ ...signed, Signature: 'AAAA' }, signer.certificate, now()).ok).toBe(false);
  });

  it('refuses a certificate outside its validity period', () => {
    const signed = snsSign(signer, notification());
    const later = new Date(Date.now() + 10 * 86_400_000);
    expect(verifySnsSignature(signed, signer.certificate, later)).toEqual({ ok: false, reason: 'signing certificate is not valid now' });
  });
});

describe('SNS URL allow-list', () => {
  it.each([
    'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem',
    'https://sns.cn-north-1.amazonaws.com.cn/SimpleNotificationService-abc.pem',
  ])('allows %s', (url) => {
    expect(isAllowedSnsUrl(url, DEFAULT_PATTERN)).toBe(true);
  });

  it.each([
    'http://sns.us-east-1.amazonaws.com/cert.pem',
    'https://sns.us-east-1.amazonaws.com.evil.example/cert.pem',
    'https://sns.us-east-1.amazonaws.com@evil.example/cert.pem',
    'https://evil.example/https://sns.us-east-1.amazonaws.com/cert.pem',
    'https://sns.us_east.amazonaws.com/cert.pem',
    'https://s3.amazonaws.com/cert.pem',
    '',
  ])('refuses %s', (url) => {
    expect(isAllowedSnsUrl(url, DEFAULT_PATTERN)).toBe(false);
  });

  it('refuses credentials in the URL even when a lax pattern matches', () => {
    expect(isAllowedSnsUrl('https://sns.a:b@evil.example/cert.pem', /^https:\/\/sns\./)).toBe(false);
  });
});

describe('SNS certificate source', () => {
  let server: Server;
  let base: string;
  let hits: string[];
  let signer: SnsSigner;
  beforeAll(async () => {
    signer = snsSigner();
    hits = [];
    server = createServer((req, res) => {
      hits.push(req.url ?? '');
      if (req.url === '/redirect.pem') {
        res.writeHead(302, { location: '/cert.pem' }).end();
        return;
      }
      res.writeHead(req.url === '/cert.pem' ? 200 : 404).end(req.url === '/cert.pem' ? signer.certificatePem : '');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    hits.length = 0;
  });
  const local = /^http:\/\/127\.0\.0\.1:\d+\//;

  it('fetches an allowed certificate once and keeps it', async () => {
    const certificates = snsCertificates({ pattern: local, timeoutMs: 2_000 });
    const first = await certificates.get(`${base}/cert.pem`);
    const second = await certificates.get(`${base}/cert.pem`);
    expect(first.fingerprint256).toBe(signer.certificate.fingerprint256);
    expect(second).toBe(first);
    expect(hits).toEqual(['/cert.pem']);
  });

  it('never fetches a URL outside the allow-list', async () => {
    const certificates = snsCertificates({ pattern: DEFAULT_PATTERN, timeoutMs: 2_000 });
    await expect(certificates.get(`${base}/cert.pem`)).rejects.toThrow(/not allowed/);
    expect(hits).toEqual([]);
  });

  it('does not follow redirects, and does not remember failures', async () => {
    const certificates = snsCertificates({ pattern: local, timeoutMs: 2_000 });
    await expect(certificates.get(`${base}/redirect.pem`)).rejects.toThrow();
    await expect(certificates.get(`${base}/missing.pem`)).rejects.toThrow(/404/);
    await expect(certificates.get(`${base}/missing.pem`)).rejects.toThrow(/404/);
    expect(hits).toEqual(['/redirect.pem', '/missing.pem', '/missing.pem']);
  });
});
