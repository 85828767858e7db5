import { AppError } from '@solar/chassis';
import { openApiDocument, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '@solar/contracts';
import { PasswordPolicy, brokenRule } from './password-policy';
import { loadCommonPasswords } from './password-policy-list';

interface Schema {
  properties?: Record<string, { minLength?: number; maxLength?: number }>;
}

const common = new Set(['password', 'qwertyuiop', 'iloveyou1']);
const check = (password: string, email = 'ada.lovelace@example.test') => brokenRule(password, { email, common });

describe('password policy', () => {
  it('accepts a long, uncommon password', () => {
    expect(check('correct horse battery staple')).toBeNull();
  });

  it.each([
    ['7 characters', 'a'.repeat(7), 'too_short'],
    ['129 characters', 'a'.repeat(129), 'too_long'],
  ])('refuses %s', (_label, password, rule) => {
    expect(check(password)).toBe(rule);
  });

  it('accepts exactly 8 and exactly 128 characters', () => {
    expect(check('x7#kq2!m')).toBeNull();
    expect(check('x7#kq2!m'.repeat(16))).toBeNull();
  });

  it('counts characters, not UTF-16 units', () => {
    expect(check('🌞'.repeat(7))).toBe('too_short');
    expect(check('🌞'.repeat(128))).toBeNull();
  });

  it('enforces the lengths the API document states for every new password, counted alike', () => {
    const password = (openApiDocument().paths['/auth/register']?.post?.requestBody as { content: Record<string, { schema: Schema }> })
      .content['application/json']!.schema.properties!.password!;
    expect(password).toMatchObject({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH });
    // JSON Schema counts code points, as the policy does.
    expect(check('🌞'.repeat(password.minLength! - 1))).toBe('too_short');
    expect(check('🌞'.repeat(password.maxLength!))).toBeNull();
    expect(check('🌞'.repeat(password.maxLength! + 1))).toBe('too_long');
  });

  it('refuses the email address and its local part, whatever the case', () => {
    expect(check('Ada.Lovelace@Example.test')).toBe('is_email');
    expect(check('ADA.LOVELACE')).toBe('is_email');
    expect(check('ada.lovelace!')).toBeNull();
  });

  it('refuses a common password, whatever the case', () => {
    expect(check('QwertyUiop')).toBe('common');
    expect(check('iloveyou1')).toBe('common');
  });

  it('throws a validation problem naming the field and rule, never the password', () => {
    const policy = new PasswordPolicy(['hunter2hunter2']);
    let thrown: unknown;
    try {
      policy.enforceOffline('HUNTER2hunter2', { email: 'a@example.test', field: 'newPassword' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AppError);
    const error = thrown as AppError;
    expect(error.code).toBe('validation_failed');
    expect(error.extensions).toEqual({ errors: [{ path: 'newPassword', message: expect.stringContaining('commonly used') }] });
    expect(JSON.stringify({ message: error.message, ...error.extensions })).not.toMatch(/hunter2/i);
  });

  it('lets a good password through', () => {
    expect(() =>
      new PasswordPolicy(common).enforceOffline('a fine long passphrase', { email: 'a@example.test', field: 'password' }),
    ).not.toThrow();
  });
});

describe('bundled common-password list', () => {
  const list = loadCommonPasswords();

  it('holds 10,000 lowercase passwords', () => {
    expect(list.size).toBe(10_000);
    expect([...list].every((password) => password === password.toLowerCase())).toBe(true);
  });

  it('holds the usual suspects', () => {
    for (const password of ['123456', 'password', 'qwerty', 'iloveyou', 'trustno1', 'password1']) expect(list.has(password)).toBe(true);
  });
});
