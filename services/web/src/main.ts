import { randomBytes } from 'node:crypto';
import {
  brandFromConfig,
  createSealer,
  loadConfig,
  serviceMain,
  serviceRuntime,
  trustProxySetting,
  type Composition,
  type Env,
  type Feature,
  type Logger,
  type Runtime,
  type Service,
} from '@solar/chassis';
import { accountFeature } from './account';
import { adminFeature } from './admin';
import { GatewayClient } from './api/gateway-client';
import { SITE_JS } from './assets/site-js';
import { passkeyAssets, passkeysFeature } from './passkeys';
import { siteCss } from './assets/site-css';
import { WebConfig } from './config';
import { emailVerificationFeature } from './email-verification';
import { fallbackRoutes } from './http/fallback.routes';
import { pageContext, type PageDeps } from './http/page-context';
import { TokenRefresher } from './session/token-refresher';
import { securityHeaders } from './http/security-headers';
import { oauthFeature } from './oauth';
import { dataExportFeature } from './data-export';
import { emailChangeFeature } from './email-change';
import { passwordResetFeature } from './password-reset';
import { LinkCookies, SessionCookies } from './session/browser-session';
import { signInFeature } from './sign-in';
import { signUpFeature } from './sign-up';
import { twoFactorFeature } from './two-factor';
import { twoFactorResetFeature } from './two-factor-reset';
import { waitlistFeature } from './waitlist';
import { captchaWidget } from './waitlist/captcha-widget';

/** The runtime's settings a service without Kafka still passes: nothing is consumed or published. */
type WebRuntimeConfig = WebConfig & { KAFKA_TOPIC_PREFIX: string };

/**
 * The account pages the emails link to, server-rendered. A client of the public API like any other
 * app: it holds no data and calls the gateway's /v1 API for everything.
 */
export function createWebService(env: Env = process.env, overrides: { logger?: Logger; clock?: () => Date } = {}): Service {
  const config = loadConfig(WebConfig, env);
  return serviceRuntime({
    service: 'web',
    config: { ...config, KAFKA_TOPIC_PREFIX: '' },
    listen: { port: config.PORT, host: config.HOST },
    logger: overrides.logger,
    clock: overrides.clock,
    compose,
  });
}

function compose({ config, logger, clock }: Runtime<WebRuntimeConfig>): Composition {
  const publicUrl = new URL(config.PUBLIC_URL ?? config.GATEWAY_URL);
  // Secure cookies and HSTS wherever the browser has https; plain http is accepted only on loopback outside production (config).
  const secure = publicUrl.protocol === 'https:';
  if (!config.WEB_SESSION_KEYS)
    logger.warn('WEB_SESSION_KEYS is not set: sessions are sealed with a key of this process and end when it stops');
  const sealer = createSealer(config.WEB_SESSION_KEYS ?? [{ id: 'ephemeral', key: randomBytes(32) }]);
  const brand = brandFromConfig(config);
  const deps: PageDeps = {
    api: new GatewayClient({
      baseUrl: config.GATEWAY_URL,
      timeoutMs: config.API_TIMEOUT,
      logger,
      pagesSignInKey: config.PAGES_SIGN_IN_KEY,
      clock,
    }),
    refresher: new TokenRefresher(),
    sessions: new SessionCookies({ sealer, secure, maxAgeMs: config.WEB_SESSION_MAX_AGE, clock }),
    links: new LinkCookies({ sealer, secure, maxAgeMs: config.LINK_COOKIE_MAX_AGE }),
    brand,
    publicOrigin: publicUrl.origin,
    secure,
    clock,
    logger,
  };
  const csp = { secure, logoUrl: brand.logoUrl };
  const css = siteCss(brand);
  const assets: Feature = {
    routes: (app) => {
      app.get('/assets/site.css', (_req, res) => {
        res.type('css').set('cache-control', 'public, max-age=3600').send(css);
      });
      app.get('/assets/site.js', (_req, res) => {
        res.type('js').set('cache-control', 'public, max-age=3600').send(SITE_JS);
      });
      passkeyAssets(app);
    },
  };
  return {
    http: {
      trustProxy: trustProxySetting(config.TRUST_PROXY),
      bodyLimit: '16kb',
      early: [securityHeaders(csp)],
    },
    features: [
      assets,
      { routes: (app) => void app.use(pageContext(deps)) },
      signUpFeature(),
      signInFeature(),
      oauthFeature(),
      emailVerificationFeature(),
      passwordResetFeature(),
      emailChangeFeature(),
      dataExportFeature(),
      twoFactorResetFeature(),
      accountFeature(),
      passkeysFeature(),
      twoFactorFeature(csp),
      waitlistFeature(captchaWidget(config), csp),
      adminFeature(),
      { routes: fallbackRoutes(logger) },
    ],
  };
}

export const main = serviceMain('web', WebConfig, createWebService);
