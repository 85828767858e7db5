import { createSealer, parseKeyRing } from '@solar/chassis';
import { LinkCookies, SessionCookies } from './browser-session';

const keys = `k1:${Buffer.alloc(32, 7).toString('base64')}`;
let now = Date.parse('2026-01-01T00:00:00Z');
const clock = () => new Date(now);
const sessions = (secure: boolean) => new SessionCookies({ sealer: createSealer(parseKeyRing(keys)), secure, maxAgeMs: 60_000, clock });

describe('SessionCookies', () => {
  it('seals the session so that it opens again, and names the cookie __Host- when Secure', () => {
    const cookies = sessions(true);
    const session = { ...cookies.fresh(), auth: { accessToken: 'a', refreshToken: 'refresh-secret', expiresAt: now + 1 } };
    const sealed = cookies.seal(session);
    expect(sealed).not.toContain('refresh-secret');
    expect(cookies.open(sealed)).toEqual(session);
    expect(cookies.name).toBe('__Host-solar_session');
    expect(sessions(false).name).toBe('solar_session');
  });

  it('opens nothing tampered with, sealed under another key or name, or older than its lifetime', () => {
    const cookies = sessions(true);
    const sealed = cookies.seal(cookies.fresh());
    // The second-to-last character carries only data bits whatever the length (the last may carry padding bits).
    const at = sealed.length - 2;
    const flipped = `${sealed.slice(0, at)}${sealed[at] === 'A' ? 'B' : 'A'}${sealed.slice(at + 1)}`;
    expect(flipped).not.toBe(sealed);
    expect(cookies.open(flipped)).toBeNull();
    expect(sessions(false).open(sealed)).toBeNull();
    const other = new SessionCookies({
      sealer: createSealer(parseKeyRing(`k1:${Buffer.alloc(32, 8).toString('base64')}`)),
      secure: true,
      maxAgeMs: 60_000,
      clock,
    });
    expect(other.open(sealed)).toBeNull();
    expect(cookies.open('')).toBeNull();
    now += 60_000;
    expect(cookies.open(sealed)).toBeNull();
  });

  it('renews the id and CSRF token and drops the tokens at sign-in and sign-out', () => {
    const cookies = sessions(true);
    const session = { ...cookies.fresh(), auth: { accessToken: 'a', refreshToken: 'r', expiresAt: 0 } };
    const renewed = cookies.renewed(session, {});
    expect(renewed.id).not.toBe(session.id);
    expect(renewed.csrf).not.toBe(session.csrf);
    expect(renewed.auth).toBeUndefined();
  });
});

describe('LinkCookies', () => {
  it("opens a link's token only for the page it was stored for", () => {
    const links = new LinkCookies({ sealer: createSealer(parseKeyRing(keys)), secure: true, maxAgeMs: 60_000 });
    const stored: string[] = [];
    const res = { cookie: (_name: string, value: string) => stored.push(value) } as never;
    links.store(res, '/verify-email', 'the-token');
    expect(stored[0]).not.toContain('the-token');
    expect(links.read(stored[0], '/verify-email')).toBe('the-token');
    expect(links.read(stored[0], '/reset-password')).toBeNull();
    expect(links.name).toBe('__Secure-solar_link');
  });
});
