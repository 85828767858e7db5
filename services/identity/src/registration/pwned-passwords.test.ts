import { createHash } from 'node:crypto';
import { countInRange, rangeKey } from './pwned-passwords';
import { PasswordPolicy } from './password-policy';

const sha1 = (text: string) => createHash('sha1').update(text, 'utf8').digest('hex').toUpperCase();

describe('range key', () => {
  it('splits the uppercase SHA-1 of the UTF-8 password after five characters', () => {
    const { prefix, suffix } = rangeKey('P@ssw0rd 🌞');
    expect(prefix + suffix).toBe(sha1('P@ssw0rd 🌞'));
    expect(prefix).toMatch(/^[0-9A-F]{5}$/);
    expect(suffix).toHaveLength(35);
  });
});

describe('count in a range answer', () => {
  const { suffix } = rangeKey('hunter2');
  const other = rangeKey('something else').suffix;

  it('finds the suffix, whatever the case and line endings', () => {
    expect(countInRange(`${other}:3\r\n${suffix.toLowerCase()}:42\r\n`, suffix)).toBe(42);
  });

  it('is 0 when the suffix is absent, or present only as padding', () => {
    expect(countInRange(`${other}:3`, suffix)).toBe(0);
    expect(countInRange(`${other}:3\n${suffix}:0`, suffix)).toBe(0);
    expect(countInRange('', suffix)).toBe(0);
  });

  it('is null for a body that is not a range answer', () => {
    expect(countInRange('<html>Sign in to the hotel Wi-Fi</html>', suffix)).toBeNull();
    expect(countInRange(`${suffix}:many`, suffix)).toBeNull();
  });
});

describe('policy with a breach lookup', () => {
  const answers = (answer: 'breached' | 'clean' | 'unavailable') => {
    const asked: string[] = [];
    const policy = new PasswordPolicy(['password123'], async (password) => {
      asked.push(password);
      return answer;
    });
    return { policy, asked };
  };
  const input = { email: 'a@example.test', field: 'password' };

  it('refuses what the service reports breached, with its own code', async () => {
    await expect(answers('breached').policy.enforce('a long passphrase', input)).rejects.toMatchObject({ code: 'password_breached' });
  });

  it('lets a password through when the service is unavailable, but the bundled list still refuses', async () => {
    const { policy, asked } = answers('unavailable');
    await expect(policy.enforce('a long passphrase', input)).resolves.toBeUndefined();
    await expect(policy.enforce('Password123', input)).rejects.toMatchObject({ code: 'validation_failed' });
    // The offline rules answer first: a password they refuse costs no lookup.
    expect(asked).toEqual(['a long passphrase']);
  });

  it('finds a password exposed at sign-in from the bundled list or the service', async () => {
    expect(await answers('clean').policy.isExposed('PASSWORD123')).toBe(true);
    expect(await answers('clean').policy.isExposed('a long passphrase')).toBe(false);
    expect(await answers('breached').policy.isExposed('a long passphrase')).toBe(true);
    expect(await answers('unavailable').policy.isExposed('a long passphrase')).toBe(false);
  });
});
