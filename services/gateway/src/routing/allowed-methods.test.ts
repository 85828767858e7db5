import { allowedMethodsOf } from './allowed-methods';

const allowedMethods = allowedMethodsOf([
  { method: 'get', path: '/users/me' },
  { method: 'patch', path: '/users/me' },
  { method: 'delete', path: '/users/me/sessions/{id}' },
  { method: 'post', path: '/admin/waitlist/{id}/approve' },
  { method: 'get', path: '/.well-known/jwks.json' },
]);

describe('allowedMethodsOf', () => {
  it('lists the declared methods of a path, with HEAD wherever GET is', () => {
    expect(allowedMethods('/users/me')).toEqual(['GET', 'HEAD', 'PATCH']);
  });

  it('matches a path parameter against any one segment', () => {
    expect(allowedMethods('/users/me/sessions/3f0c2a52')).toEqual(['DELETE']);
    expect(allowedMethods('/admin/waitlist/w-1/approve')).toEqual(['POST']);
    expect(allowedMethods('/admin/waitlist/a/b/approve')).toBeNull();
    expect(allowedMethods('/users/me/sessions/')).toBeNull();
  });

  it('matches as Express does: any case, an optional trailing slash', () => {
    expect(allowedMethods('/USERS/Me/')).toEqual(['GET', 'HEAD', 'PATCH']);
  });

  it('takes the literal parts of a path literally', () => {
    expect(allowedMethods('/.well-known/jwks.json')).toEqual(['GET', 'HEAD']);
    expect(allowedMethods('/.well-known/jwksxjson')).toBeNull();
  });

  it('knows nothing of paths outside the API', () => {
    expect(allowedMethods('/users/stand-in')).toBeNull();
    expect(allowedMethods('/users/me/more')).toBeNull();
  });
});
