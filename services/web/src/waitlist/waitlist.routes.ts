import type { Express, RequestHandler } from 'express';
import { z } from 'zod';
import { Message } from '@solar/contracts';
import { fieldErrors, problemSentence } from '../api/problem-messages';
import { pageOf } from '../http/page-context';
import type { CaptchaWidget } from './captcha-widget';
import { renderWaitlist, renderWaitlistJoined } from './waitlist.page';

const PATH = '/waitlist';

const WaitlistForm = z.object({
  email: z.string().trim().min(1),
  name: z
    .string()
    .trim()
    .optional()
    .transform((name) => name || undefined),
});

/**
 * Joining the waitlist, with the configured provider's CAPTCHA widget when there is one. The widget
 * puts its answer in a form field of its own; it goes to the API as `captchaToken`, which the
 * gateway checks. `policy` widens the CSP for the provider on this page only.
 */
export function waitlistRoutes(app: Express, widget: CaptchaWidget | null, policy: RequestHandler): void {
  app.get(PATH, policy, (req) => renderWaitlist(pageOf(req), widget));
  app.post(PATH, policy, async (req) => {
    const page = pageOf(req);
    const form = page.form();
    const parsed = WaitlistForm.safeParse(form);
    if (!parsed.success) {
      renderWaitlist(page, widget, { name: form.name, fieldErrors: { email: page.t('form.required') }, status: 400 });
      return;
    }
    const { email, name } = parsed.data;
    const captchaToken = widget ? form[widget.field] || undefined : undefined;
    const result = await page.api(
      {
        method: 'POST',
        path: '/waitlist/join',
        body: { email, ...(name ? { name } : {}), ...(captchaToken ? { captchaToken } : {}), locale: page.locale },
      },
      Message,
    );
    if (result.ok) {
      renderWaitlistJoined(page, email);
      return;
    }
    renderWaitlist(page, widget, {
      email,
      ...(name ? { name } : {}),
      error: problemSentence(result.problem, page.t),
      fieldErrors: fieldErrors(result.problem, page.t),
      status: result.status,
    });
  });
}
