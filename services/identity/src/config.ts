import { z } from 'zod';
import {
  baseConfigShape,
  brandConfigShape,
  booleanFlag,
  proofKey,
  checkEmailLinkKeys,
  checkPublicUrls,
  commaList,
  duration,
  keyRing,
  metricsConfigShape,
  parseDuration,
  port,
  unsetIfEmpty,
} from '@solar/chassis';

export const IdentityConfig = z
  .object({
    ...baseConfigShape,
    PORT: port(3001),
    HOST: z.string().default('0.0.0.0'),
    ...metricsConfigShape,
    /** The provider's own pages (docs/oidc.md) show the brand as the account pages do. */
    ...brandConfigShape,
    MONGO_URL: z.string().startsWith('mongodb', 'must be a mongodb:// or mongodb+srv:// URL'),
    /** `id:base64key[,older...]`: seals secrets at rest (outbox payloads); the first key seals. */
    DATA_ENCRYPTION_KEYS: keyRing,
    /**
     * `id:base64key[,older...]`, the same ring as notification's: seals the links of EmailRequested on
     * the topic; the first key seals. Never a key of DATA_ENCRYPTION_KEYS (refused at start).
     */
    EMAIL_LINK_KEYS: keyRing,
    /**
     * Base of the links in emails: the web app that hosts /verify-email and /reset-password. https; http
     * only on localhost in development and test (the default suits `npm start` alone).
     */
    APP_URL: z.url().default('http://127.0.0.1:8080'),
    EMAIL_VERIFICATION_TTL: duration('24h'),
    PASSWORD_RESET_TTL: duration('1h'),
    /**
     * Hops whose X-Forwarded-For is believed: the gateway's address or CIDR (`loopback` when it runs on the same host).
     * Default false: anyone reaching identity directly could otherwise pick the address its login throttle and audit log record.
     */
    TRUST_PROXY: z.string().min(1).default('false'),
    BODY_LIMIT: z.string().default('100kb'),
    OUTBOX_SWEEP_INTERVAL: duration('5s'),
    OUTBOX_SETTLE: duration('5s'),

    /** A JWK set (`{"keys": [...]}`), newest first; keys with `d` sign, all are published. */
    JWT_SIGNING_KEYS: z.string().optional(),
    /** The same, from a file (a mounted Kubernetes Secret). */
    JWT_SIGNING_KEYS_FILE: z.string().optional(),
    /** Development only, when neither of the above is set: a key generated once and kept here. */
    JWT_DEV_KEYS_FILE: z.string().default('.local/dev/jwt-signing-keys.json'),
    JWT_ISSUER: z.string().min(1).default('solar-accounts'),
    JWT_AUDIENCE: z.string().min(1).default('solar-api'),
    ACCESS_TOKEN_TTL: duration('15m'),
    /**
     * A session unused this long ends: each refresh rotates the refresh token and moves this
     * deadline (it replaces REFRESH_TOKEN_TTL, which meant the same).
     */
    SESSION_IDLE_TIMEOUT: duration('14d'),
    /** A session ends this long after sign-in however often it is refreshed: a stolen one cannot live forever. */
    SESSION_MAX_AGE: duration('30d'),
    /**
     * The refresh token a rotation spent may come back this long after without revoking its session
     * (answered 409): racing refreshes of one client are not theft. Short, as it delays detecting a thief's replay.
     */
    REFRESH_REUSE_GRACE: duration('5s').refine((ms) => ms <= 60_000, 'must be at most 60s: longer hides a stolen token replayed at once'),

    /** Failures within the window, for one address from one client IP, that lock it for that client. */
    LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(10),
    /**
     * Failures within the window, for one address from all clients together, past which sign-ins to
     * it answer 403 captcha_required until the window ends: guesses spread over many IPs.
     */
    LOGIN_ADDRESS_MAX_FAILURES: z.coerce.number().int().min(1).default(100),
    LOGIN_FAILURE_WINDOW: duration('15m'),
    /**
     * The key the gateway signs its CAPTCHA proofs with (the gateway's CAPTCHA_PROOF_KEY): a sign-in
     * carrying a valid one is checked past LOGIN_ADDRESS_MAX_FAILURES. Unset, no proof is believed.
     */
    CAPTCHA_PROOF_KEY: proofKey,
    /**
     * `false` refuses apps the OAuth2 password grant (`POST /auth/login`): they sign users in with the
     * OpenID Connect code flow (docs/oidc.md). The account pages still sign in, with PAGES_SIGN_IN_KEY.
     */
    PASSWORD_GRANT_ENABLED: booleanFlag(true),
    /**
     * The key the account pages sign their sign-ins with (web's PAGES_SIGN_IN_KEY, the same value):
     * required when PASSWORD_GRANT_ENABLED=false.
     */
    PAGES_SIGN_IN_KEY: proofKey,
    LOGIN_LOCK_BASE: duration('1m'),
    LOGIN_LOCK_MAX: duration('1h'),

    /** From a deletion request to the purge; the owner can cancel until then. */
    DELETION_GRACE_PERIOD: duration('30d'),
    /**
     * The services whose part a data export waits for (each answers DataExportRequested with its data
     * about the person): a service that holds personal data registers by being named here.
     */
    DATA_EXPORT_PARTICIPANTS: z
      .string()
      .default('identity,notification,lifecycle')
      .pipe(commaList)
      .pipe(z.array(z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'must list service names (lower-case, kebab-case)'))),
    /** How long a data export waits for every part; past it the export fails naming who did not answer. */
    DATA_EXPORT_DEADLINE: duration('1h'),
    /** Accounts whose address is still unverified this long after registering are removed. */
    UNVERIFIED_ACCOUNT_MAX_AGE: duration('30d'),
    /** Off unless set: no sign-in for this long earns a warning email, then a deletion request. */
    INACTIVE_ACCOUNT_AFTER: z
      .string()
      .optional()
      .transform((text, ctx) => {
        if (text === undefined || text === '') return null;
        const ms = parseDuration(text);
        if (ms === null) {
          ctx.addIssue({ code: 'custom', message: `"${text}" is not a duration such as 180d` });
          return z.NEVER;
        }
        return ms;
      }),
    /** From the inactivity warning to the deletion request, if the owner still has not signed in. */
    INACTIVE_ACCOUNT_WARNING_PERIOD: duration('14d'),
    AUDIT_LOG_RETENTION: duration('400d'),
    /** How long consumed event ids are kept for deduplication: longer than any redelivery can come. */
    PROCESSED_EVENTS_RETENTION: duration('30d'),
    /** Accounts handled per database round trip by the maintenance tasks. */
    MAINTENANCE_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
    /**
     * The Pwned Passwords range API's base (`/range/{first five hex of the SHA-1}` is appended; the
     * public one is https://api.pwnedpasswords.com). New passwords found there are refused and a
     * sign-in with one asks for a new one. Unset: the bundled common-password list alone.
     */
    PWNED_PASSWORDS_URL: unsetIfEmpty(z.url({ protocol: /^https?$/ }).optional()),
    /** A lookup slower than this counts as unreachable: the bundled list alone judges, and the sign-up goes on. */
    PWNED_PASSWORDS_TIMEOUT: duration('2s'),
    /** Sightings in the corpus that make a password breached; the padding entries (count 0) never do. */
    PWNED_PASSWORDS_MIN_COUNT: z.coerce.number().int().min(1).default(1),
    /** A sign-in with a breached password emails its owner at most once per this period (the account page asks every time). */
    BREACHED_PASSWORD_NOTICE_INTERVAL: duration('7d'),
    /** `waitlist`: registering needs an invite from an approved waitlist entry, for the same address. */
    REGISTRATION_MODE: z.enum(['open', 'waitlist']).default('open'),
    INVITE_TTL: duration('7d'),
    /** The name authenticator apps show next to the account. */
    TOTP_ISSUER: z.string().trim().min(1).max(64).default('Solar Intelligence'),
    /** How long the mfa_token from a correct password waits for the second factor. */
    MFA_TOKEN_TTL: duration('5m'),
    /**
     * From a two-factor reset confirmed by the emailed link to the first sign-in that may turn
     * two-factor off: the owner's time to notice the emails and cancel from a signed-in session.
     */
    TWO_FACTOR_RESET_DELAY: duration('24h'),
    /** How long the emailed link that confirms a two-factor reset works. */
    TWO_FACTOR_RESET_LINK_TTL: duration('1h'),

    /**
     * The passkeys' relying party id: the domain they are bound to, which every origin in
     * WEBAUTHN_ORIGINS must be or lie under. Default: APP_URL's host name. Changing it orphans every passkey.
     */
    WEBAUTHN_RP_ID: z
      .string()
      .trim()
      .optional()
      .transform((text) => text || undefined),
    /** The name browsers show when a passkey is created. */
    WEBAUTHN_RP_NAME: z.string().trim().min(1).max(64).default('Solar Intelligence'),
    /**
     * Origins whose WebAuthn answers are taken (the pages' origin; an app's `android:apk-key-hash:...`
     * too), comma-separated. Default: APP_URL's origin.
     */
    WEBAUTHN_ORIGINS: z
      .string()
      .optional()
      .transform((text) => (text?.trim() ? commaList.parse(text) : undefined)),
    /** How long a passkey challenge (options asked for, answer not yet given) can be answered, once. */
    PASSKEY_CHALLENGE_TTL: duration('5m'),

    /**
     * These addresses get the admin role once verified (the emailed link followed), never at
     * registration; identity logs a warning at start while one has no verified account.
     */
    ADMIN_EMAILS: commaList.optional().transform((list) => new Set((list ?? []).map((email) => email.toLowerCase()))),
    /**
     * An admin action on an account (disable, unlock, reset two-factor, delete, roles...) wants the
     * admin's session signed into this recently, else 403 reauthentication_required: a token left
     * behind on a shared machine cannot act on accounts for the session's whole life. Lifecycle's job retry too.
     */
    ADMIN_REAUTH_WINDOW: duration('5m'),
  })
  .superRefine((config, ctx) => {
    // The links carry verification, reset and invite tokens.
    checkPublicUrls(ctx, 'APP_URL', [config.APP_URL], config.NODE_ENV);
    checkEmailLinkKeys(config, ctx);
    checkRelyingParty(config, ctx);
    if (!config.PASSWORD_GRANT_ENABLED && !config.PAGES_SIGN_IN_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['PAGES_SIGN_IN_KEY'],
        message: 'is required when PASSWORD_GRANT_ENABLED=false: the account pages sign in with it',
      });
    }
    if (config.NODE_ENV !== 'development' && !config.JWT_SIGNING_KEYS && !config.JWT_SIGNING_KEYS_FILE) {
      ctx.addIssue({ code: 'custom', path: ['JWT_SIGNING_KEYS'], message: 'is required outside development (or JWT_SIGNING_KEYS_FILE)' });
    }
  });
export type IdentityConfig = z.output<typeof IdentityConfig>;

/** The relying party passkeys are bound to, with the defaults APP_URL gives. */
export function relyingParty(config: Pick<IdentityConfig, 'APP_URL' | 'WEBAUTHN_RP_ID' | 'WEBAUTHN_RP_NAME' | 'WEBAUTHN_ORIGINS'>) {
  const app = new URL(config.APP_URL);
  return {
    id: config.WEBAUTHN_RP_ID ?? app.hostname,
    name: config.WEBAUTHN_RP_NAME,
    origins: config.WEBAUTHN_ORIGINS ?? [app.origin],
  };
}

/** A browser only lets an origin use an RP id that is its host or a parent domain of it (WebAuthn §5.1.3). */
function checkRelyingParty(
  config: Pick<IdentityConfig, 'APP_URL' | 'WEBAUTHN_RP_ID' | 'WEBAUTHN_RP_NAME' | 'WEBAUTHN_ORIGINS'>,
  ctx: z.RefinementCtx,
): void {
  const party = relyingParty(config);
  for (const origin of party.origins) {
    if (!/^https?:\/\//.test(origin)) continue;
    const host = URL.canParse(origin) ? new URL(origin).hostname : '';
    if (host !== party.id && !host.endsWith(`.${party.id}`)) {
      ctx.addIssue({
        code: 'custom',
        path: ['WEBAUTHN_ORIGINS'],
        message: `${origin} is not on the relying party id ${party.id} (WEBAUTHN_RP_ID)`,
      });
    }
  }
}

/** Variables identity read once, refused at start with what to set instead (loadConfig). */
export const RETIRED_IDENTITY_VARIABLES = {
  REFRESH_TOKEN_TTL: 'set SESSION_IDLE_TIMEOUT instead, the same idle limit under its new name',
};
