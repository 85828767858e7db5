import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sesBounceNotification, snsSign, snsSigner, type SnsSigner } from '../../test/webhooks-signers';
import { snsCertificates } from './sns-certificates';
import type { SnsMessage } from '@solar/contracts';
import { isAllowedSnsUrl, snsStringToSign, verifySnsSignature } from './sns-signature';

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

  it('accepts SignatureVersion 2 (SHA256withRSA) only, not 1 (SHA1withRSA)', () => {
    expect(verifySnsSignature(snsSign(signer, notification(), '2'), signer.certificate, now())).toEqual({ ok: true });
    expect(verifySnsSignature(snsSign(signer, notification(), '1'), signer.certificate, now())).toEqual({
      ok: false,
      reason: 'SignatureVersion 1 is not accepted',
    });
  });

  it.each(['/CN=sns.amazonaws.com', '/CN=sns.eu-west-1.amazonaws.com', '/CN=sns.cn-north-1.amazonaws.com.cn'])(
    'accepts a certificate issued to %s',
    (subject) => {
      const regional = snsSigner(2, subject);
      expect(verifySnsSignature(snsSign(regional, notification()), regional.certificate, now())).toEqual({ ok: true });
    },
  );

  it.each(['/CN=evil.example', '/CN=sns.s3.amazonaws.com', '/O=sns.amazonaws.com/CN=sns.amazonaws.com.evil.example'])(
    'refuses a certificate issued to %s',
    (subject) => {
      const stranger = snsSigner(2, subject);
      expect(verifySnsSignature(snsSign(stranger, notification()), stranger.certificate, now())).toEqual({
        ok: false,
        reason: 'signing certificate is not issued to SNS',
      });
    },
  );

  it('refuses a SHA1 signature relabelled as version 2', () => {
    const v1 = snsSign(signer, notification(), '1');
    expect(verifySnsSignature({ ...v1, SignatureVersion: '2' }, signer.certificate, now())).toEqual({
      ok: false,
      reason: 'signature does not match',
    });
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
    'https://sns.us-gov-west-1.amazonaws.com/SimpleNotificationService-abc.pem',
  ])('allows %s', (url) => {
    expect(isAllowedSnsUrl(url, 'certificate')).toBe(true);
  });

  it.each([
    'http://sns.us-east-1.amazonaws.com/cert.pem',
    'https://sns.us-east-1.amazonaws.com.evil.example/cert.pem',
    'https://sns.us-east-1.amazonaws.com@evil.example/cert.pem',
    'https://evil.example/https://sns.us-east-1.amazonaws.com/cert.pem',
    'https://sns.us_east.amazonaws.com/cert.pem',
    'https://s3.amazonaws.com/cert.pem',
    // S3 answers for these (a bucket named "sns"), and anyone can upload a .pem there.
    'https://sns.s3.amazonaws.com/cert.pem',
    'https://sns.us-east-1.s3.amazonaws.com/cert.pem',
    'https://sns.s3-us-west-2.amazonaws.com/cert.pem',
    'https://sns.s3-external-1.amazonaws.com/cert.pem',
    'https://sns.us-east-1.amazonaws.com:8443/cert.pem',
    'https://user@sns.us-east-1.amazonaws.com/cert.pem',
    'https://sns.us-east-1.amazonaws.com/cert.txt',
    'https://sns.us-east-1.amazonaws.com/?Action=cert.pem',
    '',
  ])('refuses %s', (url) => {
    expect(isAllowedSnsUrl(url, 'certificate')).toBe(false);
  });

  it('allows a SubscribeURL on an SNS host, whatever its path', () => {
    expect(isAllowedSnsUrl('https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&Token=t', 'subscribe')).toBe(true);
    expect(isAllowedSnsUrl('https://sns.s3.amazonaws.com/?Action=ConfirmSubscription', 'subscribe')).toBe(false);
  });

  it('refuses credentials in the URL even when a lax override matches', () => {
    expect(isAllowedSnsUrl('https://sns.a:b@evil.example/cert.pem', 'certificate', /^https:\/\/sns\./)).toBe(false);
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
    const certificates = snsCertificates({ override: local, timeoutMs: 2_000 });
    const first = await certificates.get(`${base}/cert.pem`);
    const second = await certificates.get(`${base}/cert.pem`);
    expect(first.fingerprint256).toBe(signer.certificate.fingerprint256);
    expect(second).toBe(first);
    expect(hits).toEqual(['/cert.pem']);
  });

  it('never fetches a URL outside the allow-list', async () => {
    const certificates = snsCertificates({ timeoutMs: 2_000 });
    await expect(certificates.get(`${base}/cert.pem`)).rejects.toThrow(/not allowed/);
    expect(hits).toEqual([]);
  });

  it('does not follow redirects, and remembers a failure for a while only', async () => {
    let clock = 1_000_000;
    const certificates = snsCertificates({ override: local, timeoutMs: 2_000, failureTtlMs: 30_000, now: () => clock });
    await expect(certificates.get(`${base}/redirect.pem`)).rejects.toThrow();
    await expect(certificates.get(`${base}/missing.pem`)).rejects.toThrow(/404/);
    await expect(certificates.get(`${base}/missing.pem`)).rejects.toThrow(/404/);
    expect(hits).toEqual(['/redirect.pem', '/missing.pem']);
    clock += 30_001;
    await expect(certificates.get(`${base}/missing.pem`)).rejects.toThrow(/404/);
    expect(hits).toEqual(['/redirect.pem', '/missing.pem', '/missing.pem']);
  });

  it('keeps a bounded number of failures', async () => {
    const certificates = snsCertificates({ override: local, timeoutMs: 2_000, maxEntries: 2 });
    for (const name of ['a', 'b', 'c', 'a']) await expect(certificates.get(`${base}/${name}.pem`)).rejects.toThrow(/404/);
    // "a" was pushed out by "c", so it is asked for again.
    expect(hits).toEqual(['/a.pem', '/b.pem', '/c.pem', '/a.pem']);
  });
});
