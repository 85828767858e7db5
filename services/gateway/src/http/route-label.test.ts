import { publicRouteOf } from './route-label';

describe('publicRouteOf', () => {
  const routeOf = publicRouteOf(['/auth/login', '/users/me/sessions/{id}', '/.well-known/jwks.json']);

  it('labels a path by the template of its operation, ids replaced by their parameter', () => {
    expect(routeOf('/v1/users/me/sessions/5f0c2a')).toBe('/v1/users/me/sessions/{id}');
    expect(routeOf('/v1/auth/login')).toBe('/v1/auth/login');
  });

  it('matches as Express does: any case, one trailing slash', () => {
    expect(routeOf('/v1/AUTH/Login/')).toBe('/v1/auth/login');
  });

  it('takes a dot in a template literally', () => {
    expect(routeOf('/v1/.well-known/jwks.json')).toBe('/v1/.well-known/jwks.json');
    expect(routeOf('/v1/.well-known/jwksxjson')).toBeUndefined();
  });

  it('leaves paths outside the API unlabelled, so they share one series', () => {
    expect(routeOf('/v1/users/me/sessions/a/b')).toBeUndefined();
    expect(routeOf('/v1/wp-login.php')).toBeUndefined();
    expect(routeOf('/auth/login')).toBeUndefined();
  });

  it('knows every operation of the API document by default', () => {
    expect(publicRouteOf()('/v1/admin/waitlist/abc/approve')).toBe('/v1/admin/waitlist/{id}/approve');
  });
});
