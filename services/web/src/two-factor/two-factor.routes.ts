import type { Express, RequestHandler } from 'express';
import { z } from 'zod';
import {
  CancelTwoFactorResetResponse,
  Message,
  RecoveryCodesResponse,
  TwoFactorEnableResponse,
  TwoFactorStatus,
  type ProblemCode,
} from '@solar/contracts';
import { renderApiProblem, signedIn } from '../account/signed-in';
import type { ApiProblem } from '../api/gateway-client';
import { problemSentence } from '../api/problem-messages';
import { pageOf, type Page } from '../http/page-context';
import type { MessageKey } from '../i18n/en';
import {
  renderConfirmWithCode,
  renderRecoveryCodes,
  renderTwoFactorSettings,
  renderTwoFactorSetup,
  type FormProblems,
} from './two-factor.page';

const SETTINGS = '/account/two-factor';

const DONE: Record<string, MessageKey> = {
  'turned-off': 'twoFactor.settings.turnedOff',
  'reset-cancelled': 'account.twoFactorResetCancelled',
};

const Password = z.string().min(1);
/** As people type it: spaces (and the gap some apps show in the middle) forgiven. */
const Code = z
  .string()
  .transform((code) => code.replace(/\s/g, ''))
  .pipe(z.string().regex(/^\d{6}$/));
const PasswordForm = z.object({ password: Password });
const PasswordAndCodeForm = z.object({ password: Password, code: Code });

/**
 * The two-factor settings: turning it on (password, then the QR code and the secret, then a first
 * code), the recovery codes shown once, new ones, turning it off, and a pending reset's cancel
 * button. The `data:` QR image needs the one CSP widening of these pages (`policy`).
 */
export function twoFactorRoutes(app: Express, qrPolicy: RequestHandler): void {
  app.get(SETTINGS, async (req) => {
    const page = pageOf(req);
    const status = await twoFactorStatus(page);
    if (!status) return;
    // Leaving the set-up for this page abandons it: the next start asks the API for a new secret.
    if (page.session.twoFactorSetup) page.saveSession(withoutSetup(page));
    const done = typeof req.query.done === 'string' ? DONE[req.query.done] : undefined;
    renderTwoFactorSettings(page, { state: status, info: done ? page.t(done) : undefined });
  });

  app.post(`${SETTINGS}/enable`, qrPolicy, async (req) => {
    const page = pageOf(req);
    const accessToken = await signedIn(page);
    if (!accessToken) return;
    const form = parseForm(page, PasswordForm);
    if (!form.ok) return void (await settingsWithProblems(page, form));
    const result = await page.api({ method: 'POST', path: '/auth/2fa/enable', accessToken, body: form.value }, TwoFactorEnableResponse);
    if (!result.ok) {
      if (result.problem.code === 'unauthorized') return renderApiProblem(page, result.problem);
      return void (await settingsWithProblems(page, problemsOf(page, result.problem)));
    }
    const { secret, otpauthUri } = result.body;
    page.saveSession({ ...page.session, twoFactorSetup: { secret, otpauthUri } });
    renderTwoFactorSetup(page, { secret, qrPng: result.body.qrCode.png });
  });

  app.post(`${SETTINGS}/verify`, async (req) => {
    const page = pageOf(req);
    const accessToken = await signedIn(page);
    if (!accessToken) return;
    const setup = page.session.twoFactorSetup;
    if (!setup) return page.redirect(SETTINGS);
    const form = parseForm(page, PasswordAndCodeForm);
    if (!form.ok) return renderTwoFactorSetup(page, { secret: setup.secret, ...form });
    const result = await page.api({ method: 'POST', path: '/auth/2fa/verify', accessToken, body: form.value }, RecoveryCodesResponse);
    if (!result.ok) {
      if (result.problem.code === 'unauthorized') return renderApiProblem(page, result.problem);
      return renderTwoFactorSetup(page, { secret: setup.secret, ...problemsOf(page, result.problem) });
    }
    showRecoveryCodesOnce(page, result.body.recoveryCodes);
  });

  app.get(`${SETTINGS}/recovery-codes`, (req) => {
    const page = pageOf(req);
    const codes = page.session.recoveryCodes;
    if (!codes) return page.redirect(SETTINGS);
    // Rendered from the session once, and gone from it with this very answer: a reload finds none.
    const { recoveryCodes: _shown, ...session } = page.session;
    page.saveSession(session);
    renderRecoveryCodes(page, codes);
  });

  confirmedWithCode(app, 'new-recovery-codes', '/auth/2fa/recovery-codes', RecoveryCodesResponse, (page, body) =>
    showRecoveryCodesOnce(page, body.recoveryCodes),
  );
  confirmedWithCode(app, 'turn-off', '/auth/2fa/disable', Message, (page) => page.redirect(`${SETTINGS}?done=turned-off`));

  app.post(`${SETTINGS}/cancel-reset`, async (req) => {
    const page = pageOf(req);
    const accessToken = await signedIn(page);
    if (!accessToken) return;
    const result = await page.api({ method: 'DELETE', path: '/auth/2fa/reset', accessToken }, CancelTwoFactorResetResponse);
    if (!result.ok && result.problem.code === 'unauthorized') return renderApiProblem(page, result.problem);
    if (!result.ok && result.problem.code !== 'conflict')
      return void (await settingsWithProblems(page, { error: problemSentence(result.problem, page.t), status: result.status }));
    page.redirect(`${SETTINGS}?done=reset-cancelled`);
  });
}

/** A page with a password-and-code form whose API call, done, goes on with `then`. */
function confirmedWithCode<T>(
  app: Express,
  action: 'turn-off' | 'new-recovery-codes',
  apiPath: string,
  schema: z.ZodType<T>,
  then: (page: Page, body: T) => void,
): void {
  const route = `${SETTINGS}/${action}`;
  app.get(route, async (req) => {
    const page = pageOf(req);
    const status = await twoFactorStatus(page);
    if (!status) return;
    if (!status.enabled) return page.redirect(SETTINGS);
    renderConfirmWithCode(page, action);
  });
  app.post(route, async (req) => {
    const page = pageOf(req);
    const accessToken = await signedIn(page);
    if (!accessToken) return;
    const form = parseForm(page, PasswordAndCodeForm);
    if (!form.ok) return renderConfirmWithCode(page, action, form);
    const result = await page.api({ method: 'POST', path: apiPath, accessToken, body: form.value }, schema);
    if (!result.ok) {
      if (result.problem.code === 'unauthorized') return renderApiProblem(page, result.problem);
      return renderConfirmWithCode(page, action, problemsOf(page, result.problem));
    }
    then(page, result.body);
  });
}

/** Into the session for the one GET that shows them (so a reload does not post the form again), then out. */
function showRecoveryCodesOnce(page: Page, codes: string[]): void {
  page.saveSession({ ...withoutSetup(page), recoveryCodes: codes });
  page.redirect(`${SETTINGS}/recovery-codes`);
}

function withoutSetup(page: Page) {
  const { twoFactorSetup: _setup, ...session } = page.session;
  return session;
}

/** The signed-in account's two-factor state, or null after answering (sign-in again, or the problem). */
async function twoFactorStatus(page: Page): Promise<TwoFactorStatus | null> {
  const accessToken = await signedIn(page);
  if (!accessToken) return null;
  const status = await page.api({ method: 'GET', path: '/auth/2fa', accessToken }, TwoFactorStatus);
  if (status.ok) return status.body;
  renderApiProblem(page, status.problem);
  return null;
}

async function settingsWithProblems(page: Page, problems: FormProblems): Promise<void> {
  const status = await twoFactorStatus(page);
  if (status) renderTwoFactorSettings(page, { state: status, ...problems });
}

type Parsed<T> = { ok: true; value: T } | ({ ok: false } & FormProblems);

/** The form's fields by the schema; a field it refuses gets its sentence beside it. */
function parseForm<T>(page: Page, schema: z.ZodType<T>): Parsed<T> {
  const form = page.form();
  const parsed = schema.safeParse(form);
  if (parsed.success) return { ok: true, value: parsed.data };
  const fieldErrors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const name = String(issue.path[0]);
    fieldErrors[name] ??= form[name]?.trim() ? page.t('form.codeInvalid') : page.t('form.required');
  }
  return { ok: false, fieldErrors, status: 400 };
}

/** The API's refusal beside the field it is about: a wrong password, or a code not accepted. */
const FIELD_OF: Partial<Record<ProblemCode, { field: string; message: MessageKey }>> = {
  invalid_credentials: { field: 'password', message: 'twoFactor.settings.wrongPassword' },
  invalid_code: { field: 'code', message: 'problem.invalid_code' },
};

function problemsOf(page: Page, problem: ApiProblem): FormProblems {
  const known = FIELD_OF[problem.code];
  if (known) return { fieldErrors: { [known.field]: page.t(known.message) }, status: problem.status };
  return { error: problemSentence(problem, page.t), status: problem.status };
}
