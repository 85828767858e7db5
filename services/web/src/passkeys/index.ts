import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Express } from 'express';
import type { Feature } from '@solar/chassis';
import { PASSKEYS_JS } from './passkeys-script';
import { passkeyRoutes } from './passkeys.routes';

/** Adding, removing and signing in with passkeys; the account and sign-in pages show their forms. */
export function passkeysFeature(): Feature {
  return { routes: passkeyRoutes };
}

/**
 * The scripts of the passkey forms, from our origin as the pages' policy wants: @simplewebauthn/browser's
 * own bundle (read once, at start) and ours. Mounted before the page context: no session for an asset.
 */
export function passkeyAssets(app: Express): void {
  const entry = require.resolve('@simplewebauthn/browser');
  const bundle = readFileSync(join(dirname(entry), '..', 'dist', 'bundle', 'index.umd.min.js'), 'utf8');
  app.get('/assets/webauthn.js', (_req, res) => {
    res.type('js').set('cache-control', 'public, max-age=3600').send(bundle);
  });
  app.get('/assets/passkeys.js', (_req, res) => {
    res.type('js').set('cache-control', 'public, max-age=3600').send(PASSKEYS_JS);
  });
}
