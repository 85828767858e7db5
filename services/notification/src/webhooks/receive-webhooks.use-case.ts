import type { KeyObject, X509Certificate } from 'node:crypto';
import { MailgunPayload, SendgridPayload, SnsMessage, type WebhookResult } from '@solar/contracts';
import { AppError, type Logger } from '@solar/chassis';
import type { recordMailEvents } from '../suppression/record-mail-events.use-case';
import { verifyMailgunSignature } from './mailgun-signature';
import { mailgunMailEvents, sendgridMailEvents, sesMailEvents } from './provider-events';
import { verifySendgridSignature } from './sendgrid-signature';
import type { SnsCertificates } from './sns-certificates';
import { isAllowedSnsUrl, verifySnsSignature } from './sns-signature';
import type { WebhookTokenStore } from './webhook-token.repository';

type RecordEvents = ReturnType<typeof recordMailEvents>;

interface Common {
  record: RecordEvents;
  clock: () => Date;
  maxSkewMs: number;
  logger: Logger;
}

/** One answer for every refusal: which check failed goes to our logs, never to the caller. */
function refuse(logger: Logger, provider: string, reason: string): never {
  logger.warn({ provider, reason }, 'webhook call refused');
  throw new AppError('unauthorized', 'The webhook signature is missing or not valid');
}

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
}

export function receiveSendgridWebhook(deps: Common & { publicKey: KeyObject }) {
  return async (input: { rawBody: Buffer; signature: string | undefined; timestamp: string | undefined }): Promise<WebhookResult> => {
    const check = verifySendgridSignature({ ...input, publicKey: deps.publicKey, now: deps.clock(), maxSkewMs: deps.maxSkewMs });
    if (!check.ok) refuse(deps.logger, 'sendgrid', check.reason);
    const payload = SendgridPayload.safeParse(parseJson(input.rawBody));
    if (!payload.success) throw new AppError('validation_failed', 'The body must be a JSON array of events');
    return deps.record(sendgridMailEvents(payload.data));
  };
}

export function receiveMailgunWebhook(deps: Common & { signingKey: string; tokens: WebhookTokenStore }) {
  return async (input: { rawBody: Buffer }): Promise<WebhookResult> => {
    // Without a readable signature block the call is unsigned: 401 like any other forgery.
    const payload = MailgunPayload.safeParse(parseJson(input.rawBody));
    if (!payload.success) refuse(deps.logger, 'mailgun', 'no signature block');
    const { timestamp, token, signature } = payload.data.signature;
    const now = deps.clock();
    const check = verifyMailgunSignature({ signingKey: deps.signingKey, timestamp, token, signature, now, maxSkewMs: deps.maxSkewMs });
    if (!check.ok) refuse(deps.logger, 'mailgun', check.reason);
    // Remembered only after the signature checked out, so forged calls cannot burn real tokens; kept
    // as long as the timestamp would still pass.
    const expiresAt = new Date(Number(timestamp) * 1000 + deps.maxSkewMs);
    if (!(await deps.tokens.remember(`mailgun:${token}`, expiresAt, now))) refuse(deps.logger, 'mailgun', 'token replayed');
    try {
      return await deps.record(mailgunMailEvents(payload.data['event-data']));
    } catch (error) {
      // Mailgun retries a failed call with the same token: let that retry through.
      await deps.tokens.forget(`mailgun:${token}`);
      throw error;
    }
  };
}

export function receiveSesWebhook(
  deps: Common & {
    /** Only these topics may report to us: anyone can get a valid SNS signature from a topic of their own. */
    topicArns: ReadonlySet<string>;
    /** SNS_CERT_URL_PATTERN (tests and local stand-ins); unset, only Amazon's SNS hosts are allowed. */
    urlOverride: RegExp | undefined;
    /** Older messages are refused: a captured message must not be replayable for ever. */
    maxAgeMs: number;
    /** MessageIds already accepted, each kept until its message is too old to pass anyway. */
    messageIds: WebhookTokenStore;
    certificates: SnsCertificates;
    confirmSubscription: (url: string) => Promise<void>;
  },
) {
  return async (input: { rawBody: Buffer }): Promise<WebhookResult> => {
    const parsed = SnsMessage.safeParse(parseJson(input.rawBody));
    if (!parsed.success) refuse(deps.logger, 'ses', 'not an SNS message');
    const message = parsed.data;
    if (!deps.topicArns.has(message.TopicArn)) refuse(deps.logger, 'ses', 'topic not allowed');
    if (!isAllowedSnsUrl(message.SigningCertURL, 'certificate', deps.urlOverride))
      refuse(deps.logger, 'ses', 'certificate URL not allowed');
    // Before the certificate is fetched: a stale message costs us nothing. From the future only within the skew.
    const now = deps.clock();
    const publishedAt = Date.parse(message.Timestamp);
    if (Number.isNaN(publishedAt)) refuse(deps.logger, 'ses', 'timestamp malformed');
    if (now.getTime() - publishedAt > deps.maxAgeMs) refuse(deps.logger, 'ses', 'message too old');
    if (publishedAt - now.getTime() > deps.maxSkewMs) refuse(deps.logger, 'ses', 'timestamp in the future');
    let certificate: X509Certificate;
    try {
      certificate = await deps.certificates.get(message.SigningCertURL);
    } catch (error) {
      deps.logger.warn({ err: error }, 'SNS signing certificate unavailable');
      // The URL is one of Amazon's: a failure there is an outage, and SNS retries on 5xx.
      throw new AppError('service_unavailable', 'The signing certificate could not be fetched');
    }
    const check = verifySnsSignature(message, certificate, now);
    if (!check.ok) refuse(deps.logger, 'ses', check.reason);
    // Remembered only once the signature checked out, so forged posts cannot burn real MessageIds.
    const replayKey = `sns:${message.MessageId}`;
    if (!(await deps.messageIds.remember(replayKey, new Date(publishedAt + deps.maxAgeMs), now)))
      refuse(deps.logger, 'ses', 'MessageId replayed');
    try {
      return await handleSnsMessage(deps, message);
    } catch (error) {
      // SNS retries a failed delivery with the same MessageId: let that retry through.
      await deps.messageIds.forget(replayKey);
      throw error;
    }
  };
}

async function handleSnsMessage(
  deps: Common & { urlOverride: RegExp | undefined; confirmSubscription: (url: string) => Promise<void> },
  message: SnsMessage,
): Promise<WebhookResult> {
  switch (message.Type) {
    case 'SubscriptionConfirmation':
      if (!isAllowedSnsUrl(message.SubscribeURL, 'subscribe', deps.urlOverride)) refuse(deps.logger, 'ses', 'subscribe URL not allowed');
      await deps.confirmSubscription(message.SubscribeURL);
      deps.logger.info({ topicArn: message.TopicArn }, 'SNS subscription confirmed');
      return { confirmed: true };
    case 'UnsubscribeConfirmation':
      return { ignored: message.Type };
    case 'Notification':
      return deps.record(sesMailEvents(message.Message, message.MessageId, deps.clock()));
  }
}

/** Confirms an SNS subscription by visiting its SubscribeURL, without following redirects. */
export async function confirmSnsSubscription(url: string, timeoutMs = 5_000): Promise<void> {
  const response = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) throw new AppError('bad_gateway', `Confirming the subscription answered ${response.status}`);
}
