import { stripIdentityHeaders } from './identity-headers';

describe('stripIdentityHeaders', () => {
  it('removes every header that claims an identity and keeps the rest', () => {
    const headers = {
      'x-user-id': 'admin',
      'x-user-roles': 'admin',
      'x-authenticated-user': 'admin',
      'x-authenticated-userid': 'admin',
      'x-forwarded-user': 'admin',
      'x-forwarded-email': 'admin@example.com',
      'x-forwarded-preferred-username': 'admin',
      'x-auth-request-user': 'admin',
      'x-remote-user': 'admin',
      'remote-user': 'admin',
      'x-jwt-payload': 'e30',
      'x-solar-captcha-proof': 'v1.0.forged',
      authorization: 'Bearer abc',
      'content-type': 'application/json',
      'x-request-id': 'r-1',
      'x-forwarded-for': '198.51.100.1',
    };
    stripIdentityHeaders(headers);
    expect(headers).toEqual({
      authorization: 'Bearer abc',
      'content-type': 'application/json',
      'x-request-id': 'r-1',
      'x-forwarded-for': '198.51.100.1',
    });
  });
});
