import { Router, type Request } from 'express';
import type { receiveMailgunWebhook, receiveSendgridWebhook, receiveSesWebhook } from './receive-webhooks.use-case';
import { SENDGRID_SIGNATURE_HEADER, SENDGRID_TIMESTAMP_HEADER } from './sendgrid-signature';

/** Mount point; the chassis hands bodies under it to the routes unparsed, for signature checks. */
export const WEBHOOKS_PATH = '/webhooks/email';

/** SendGrid posts batches of up to 768 KB, SNS messages up to 256 KB: more than an API request. */
export const WEBHOOKS_BODY_LIMIT = '1mb';

export interface EmailWebhooks {
  sendgrid?: ReturnType<typeof receiveSendgridWebhook> | undefined;
  ses?: ReturnType<typeof receiveSesWebhook> | undefined;
  mailgun?: ReturnType<typeof receiveMailgunWebhook> | undefined;
}

// An empty body arrives as undefined; it cannot carry a valid signature either way.
const rawBody = (req: Request): Buffer => (Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));

/** Thin: only the endpoints whose provider is configured exist; the others answer 404 like any unknown path. */
export function emailWebhooksRouter(webhooks: EmailWebhooks): Router {
  const router = Router();
  const { sendgrid, ses, mailgun } = webhooks;
  if (sendgrid) {
    router.post('/sendgrid', async (req, res) => {
      const result = await sendgrid({
        rawBody: rawBody(req),
        signature: req.get(SENDGRID_SIGNATURE_HEADER),
        timestamp: req.get(SENDGRID_TIMESTAMP_HEADER),
      });
      res.status(200).json(result);
    });
  }
  if (ses) {
    router.post('/ses', async (req, res) => {
      res.status(200).json(await ses({ rawBody: rawBody(req) }));
    });
  }
  if (mailgun) {
    router.post('/mailgun', async (req, res) => {
      res.status(200).json(await mailgun({ rawBody: rawBody(req) }));
    });
  }
  return router;
}
