import { Router, type Request, type Response } from 'express';
import { LoginBody, LoginForm, LogoutBody, RefreshBody, RefreshForm, type MfaRequiredResponse, type TokenResponse } from '@solar/contracts';
import { CAPTCHA_PROOF_HEADER, PAGES_PROOF_HEADER } from '@solar/chassis';
import { authOf, type authenticate } from '../auth/authenticate';
import { contextOf } from '../http/request-context';
import type { logout } from '../sessions/logout.use-case';
import type { refresh } from '../sessions/refresh.use-case';
import type { login } from './login.use-case';

const isForm = (req: Request) => req.is('application/x-www-form-urlencoded') === 'application/x-www-form-urlencoded';

/** The OAuth2 password form (RFC 6749 §4.3) names the address `username`. */
function loginInput(req: Request): unknown {
  if (!isForm(req)) return req.body;
  const form = LoginForm.parse(req.body);
  return { email: form.username, password: form.password };
}

function sendTokens(res: Response, tokens: TokenResponse | MfaRequiredResponse): void {
  res.set({ 'cache-control': 'no-store', pragma: 'no-cache' }).json(tokens);
}

export function loginRoutes(deps: {
  login: ReturnType<typeof login>;
  refresh: ReturnType<typeof refresh>;
  logout: ReturnType<typeof logout>;
  authenticate: ReturnType<typeof authenticate>;
}): Router {
  const router = Router();
  router.post('/auth/login', async (req, res) => {
    const body = LoginBody.parse(loginInput(req));
    sendTokens(
      res,
      await deps.login({
        ...body,
        captchaProof: req.get(CAPTCHA_PROOF_HEADER),
        pagesProof: req.get(PAGES_PROOF_HEADER),
        context: contextOf(req),
      }),
    );
  });
  router.post('/auth/token/refresh', async (req, res) => {
    const body = isForm(req) ? RefreshForm.parse(req.body) : RefreshBody.parse(req.body);
    sendTokens(res, await deps.refresh({ refreshToken: body.refresh_token, context: contextOf(req) }));
  });
  router.post('/auth/logout', deps.authenticate, async (req, res) => {
    const { all } = LogoutBody.parse(req.body ?? {});
    const auth = authOf(req);
    await deps.logout({ userId: auth.userId, sessionId: auth.sessionId, all, context: contextOf(req) });
    res.status(204).end();
  });
  return router;
}
