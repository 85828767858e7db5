import { Router, type RequestHandler } from 'express';
import {
  PasskeyAuthenticationOptionsBody,
  PasskeyAuthenticationVerifyBody,
  PasskeyParams,
  PasskeyRegistrationOptionsBody,
  PasskeyRegistrationVerifyBody,
  PasskeyRemoveBody,
  type PasskeyCreated,
  type PasskeyList,
  type PasskeyOptionsResponse,
  type TokenResponse,
} from '@solar/contracts';
import { authOf } from '../auth/authenticate';
import { contextOf } from '../http/request-context';
import type { finishPasskeyRegistration, startPasskeyRegistration } from './add-passkey.use-case';
import type { listPasskeys, removePasskey } from './remove-passkey.use-case';
import type { finishPasskeySignIn, startPasskeySignIn } from './sign-in-with-passkey.use-case';

// Challenges and tokens must not rest in any cache.
const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

export function passkeyRoutes(deps: {
  list: ReturnType<typeof listPasskeys>;
  startRegistration: ReturnType<typeof startPasskeyRegistration>;
  finishRegistration: ReturnType<typeof finishPasskeyRegistration>;
  remove: ReturnType<typeof removePasskey>;
  startSignIn: ReturnType<typeof startPasskeySignIn>;
  finishSignIn: ReturnType<typeof finishPasskeySignIn>;
  authenticate: RequestHandler;
}): Router {
  const router = Router();
  router.get('/auth/passkeys', deps.authenticate, async (req, res) => {
    const list: PasskeyList = await deps.list(authOf(req).userId);
    res.set(NO_STORE).json(list);
  });
  router.post('/auth/passkeys/registration/options', deps.authenticate, async (req, res) => {
    const body = PasskeyRegistrationOptionsBody.parse(req.body);
    const options: PasskeyOptionsResponse = await deps.startRegistration({ ...body, userId: authOf(req).userId, context: contextOf(req) });
    res.set(NO_STORE).json(options);
  });
  router.post('/auth/passkeys/registration/verify', deps.authenticate, async (req, res) => {
    const body = PasskeyRegistrationVerifyBody.parse(req.body);
    const passkey = await deps.finishRegistration({
      name: body.name,
      // The schema checked the shape the library reads; it checks the content.
      credential: body.credential,
      userId: authOf(req).userId,
      context: contextOf(req),
    });
    res.status(201).json({ passkey } satisfies PasskeyCreated);
  });
  router.delete('/auth/passkeys/:id', deps.authenticate, async (req, res) => {
    const { id } = PasskeyParams.parse(req.params);
    const body = PasskeyRemoveBody.parse(req.body);
    await deps.remove({ userId: authOf(req).userId, passkeyId: id, password: body.password, context: contextOf(req) });
    res.status(204).end();
  });
  router.post('/auth/passkeys/authentication/options', async (req, res) => {
    const body = PasskeyAuthenticationOptionsBody.parse(req.body ?? {});
    const options: PasskeyOptionsResponse = await deps.startSignIn({ mfaToken: body.mfaToken, context: contextOf(req) });
    res.set(NO_STORE).json(options);
  });
  router.post('/auth/passkeys/authentication/verify', async (req, res) => {
    const body = PasskeyAuthenticationVerifyBody.parse(req.body);
    const tokens: TokenResponse = await deps.finishSignIn({
      credential: body.credential,
      mfaToken: body.mfaToken,
      context: contextOf(req),
    });
    res.set(NO_STORE).json(tokens);
  });
  return router;
}
