import type { ErrorEvent } from '@sentry/node';
import { scrubEvent, scrubText } from './error-tracking';

describe('scrubText', () => {
  it.each([
    ['no account for Ada.Lovelace+test@example.co.uk here', 'no account for [email] here'],
    ['token eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.c2ln rejected', 'token [token] rejected'],
    ['sent Authorization: Bearer abc.def-123 upstream', 'sent Authorization: Bearer [redacted] upstream'],
    ['refused 203.0.113.9 and 2001:db8:0:0:0:ff00:42:8329', 'refused [ip] and [ip]'],
  ])('replaces what identifies a person or grants access: %s', (text, expected) => {
    expect(scrubText(text)).toBe(expected);
  });

  it('leaves ordinary text alone', () => {
    expect(scrubText('job purge-expired-tokens failed after 3 attempts at 12:30:45')).toBe(
      'job purge-expired-tokens failed after 3 attempts at 12:30:45',
    );
  });
});

describe('scrubEvent', () => {
  it('drops request bodies, cookies, headers, query strings and the user but their id, and scrubs every text', () => {
    const event = {
      type: undefined,
      message: 'failed for ada@example.test',
      request: {
        method: 'POST',
        url: 'https://accounts.example/v1/auth/login?access_token=abc',
        data: { email: 'ada@example.test', password: 'hunter2hunter2' },
        cookies: { sid: 'secret' },
        headers: { authorization: 'Bearer abc', 'x-forwarded-for': '203.0.113.9' },
        query_string: 'access_token=abc',
      },
      user: { id: 'user-1', email: 'ada@example.test', ip_address: '203.0.113.9' },
      exception: { values: [{ type: 'Error', value: 'duplicate ada@example.test' }] },
      extra: { reason: 'from 203.0.113.9', nested: { to: ['ada@example.test'] } },
      tags: { kind: 'http' },
      breadcrumbs: [{ message: 'POST /login ada@example.test' }],
    } as ErrorEvent;

    const scrubbed = scrubEvent(event);

    expect(scrubbed.request).toEqual({ method: 'POST', url: 'https://accounts.example/v1/auth/login' });
    expect(scrubbed.user).toEqual({ id: 'user-1' });
    expect(scrubbed.breadcrumbs).toBeUndefined();
    expect(scrubbed.message).toBe('failed for [email]');
    expect(scrubbed.exception?.values?.[0]?.value).toBe('duplicate [email]');
    expect(scrubbed.extra).toEqual({ reason: 'from [ip]', nested: { to: ['[email]'] } });
    expect(JSON.stringify(scrubbed)).not.toMatch(/ada@example|hunter2|203\.0\.113|secret|abc/);
  });
});
