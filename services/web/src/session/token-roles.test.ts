import { tokenRoles } from './token-roles';

const tokenWith = (claims: unknown) => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.signature`;

describe('tokenRoles', () => {
  it('reads the roles claim', () => {
    expect(tokenRoles(tokenWith({ sub: 'u1', roles: ['user', 'admin'] }))).toEqual(['user', 'admin']);
  });

  it('finds none in a token without the claim, with a claim of another shape, or in no JWT at all', () => {
    expect(tokenRoles(tokenWith({ sub: 'u1' }))).toEqual([]);
    expect(tokenRoles(tokenWith({ roles: 'admin' }))).toEqual([]);
    expect(tokenRoles('not-a-jwt')).toEqual([]);
    expect(tokenRoles('a.!!!.c')).toEqual([]);
  });
});
