import { randomBytes } from 'node:crypto';
import type { Response } from 'express';
import { z } from 'zod';
import type { Sealer } from '@solar/chassis';

const SessionData = z.object({
  id: z.string(),
  csrf: z.string(),
  createdAt: z.number(),
  auth: z.object({ accessToken: z.string(), refreshToken: z.string(), expiresAt: z.number() }).optional(),
  mfa: z.object({ token: z.string(), expiresAt: z.number() }).optional(),
  invite: z.object({ email: z.string() }).optional(),
  /** Two-factor being set up: the pending secret, so a mistyped first code can be tried again without a new one. */
  twoFactorSetup: z.object({ secret: z.string(), otpauthUri: z.string() }).optional(),
  /** New recovery codes between the POST that got them and the one page that shows them, which removes them. */
  recoveryCodes: z.array(z.string()).optional(),
  /** An app's OpenID Connect request waiting for this browser's sign-in: where the sign-in returns to. */
  oauth: z.object({ uid: z.string() }).optional(),
  /** An admin page that sent the browser to sign in again (a fresh sign-in for its action): where the sign-in returns to. */
  returnTo: z.string().startsWith('/admin').optional(),
});
export type SessionData = z.output<typeof SessionData>;

const randomId = () => randomBytes(24).toString('base64url');

/**
 * The browser's session: one cookie, sealed with WEB_SESSION_KEYS (AES-256-GCM, bound to the
 * cookie's name), HttpOnly so page script never sees the refresh token, SameSite=Lax so another site
 * cannot post with it, Secure (and `__Host-`, pinned to this host and path /) except on plain-http
 * localhost. It holds the CSRF token of the browser's forms, and once signed in the API's tokens.
 * Its age is checked inside the seal too, so a copied cookie stops opening after WEB_SESSION_MAX_AGE
 * whatever the browser does with Max-Age.
 */
export class SessionCookies {
  readonly name: string;

  constructor(private readonly options: { sealer: Sealer; secure: boolean; maxAgeMs: number; clock: () => Date }) {
    this.name = options.secure ? '__Host-solar_session' : 'solar_session';
  }

  fresh(): SessionData {
    return { id: randomId(), csrf: randomId(), createdAt: this.options.clock().getTime() };
  }

  /** The session in the cookie, or null when there is none, it was tampered with, or it is too old. */
  open(value: string | undefined): SessionData | null {
    if (!value) return null;
    try {
      const session = SessionData.parse(JSON.parse(this.options.sealer.open(value, this.context)));
      return this.options.clock().getTime() - session.createdAt < this.options.maxAgeMs ? session : null;
    } catch {
      return null;
    }
  }

  seal(session: SessionData): string {
    return this.options.sealer.seal(JSON.stringify(session), this.context);
  }

  write(res: Response, session: SessionData): void {
    const remaining = session.createdAt + this.options.maxAgeMs - this.options.clock().getTime();
    res.cookie(this.name, this.seal(session), {
      httpOnly: true,
      secure: this.options.secure,
      sameSite: 'lax',
      path: '/',
      maxAge: Math.max(0, remaining),
    });
  }

  /** A new session id and CSRF token at sign-in and sign-out, so nothing from before carries over. */
  renewed(session: SessionData, changes: Partial<SessionData>): SessionData {
    const { auth: _auth, mfa: _mfa, twoFactorSetup: _setup, recoveryCodes: _codes, ...rest } = session;
    return { ...rest, id: randomId(), csrf: randomId(), createdAt: this.options.clock().getTime(), ...changes };
  }

  private get context(): string {
    return `web.session/${this.name}`;
  }
}

/**
 * The token of an emailed link, moved out of the address bar: the GET that carries it stores it here
 * and redirects to the bare path, and the page's form posts it to the API from here. Sealed (the
 * token is a credential), HttpOnly, SameSite=Strict (never sent with a request another site starts),
 * scoped to the page's path and short-lived.
 */
export class LinkCookies {
  readonly name: string;

  constructor(private readonly options: { sealer: Sealer; secure: boolean; maxAgeMs: number }) {
    this.name = options.secure ? '__Secure-solar_link' : 'solar_link';
  }

  store(res: Response, path: string, token: string): void {
    res.cookie(this.name, this.options.sealer.seal(token, `web.link${path}`), {
      httpOnly: true,
      secure: this.options.secure,
      sameSite: 'strict',
      path,
      maxAge: this.options.maxAgeMs,
    });
  }

  read(value: string | undefined, path: string): string | null {
    if (!value) return null;
    try {
      return this.options.sealer.open(value, `web.link${path}`);
    } catch {
      return null;
    }
  }

  clear(res: Response, path: string): void {
    res.clearCookie(this.name, { httpOnly: true, secure: this.options.secure, sameSite: 'strict', path });
  }
}
