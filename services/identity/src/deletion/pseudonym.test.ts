import { randomBytes } from 'node:crypto';
import { createPseudonymiser } from './pseudonym';

const keyRing = () => [{ id: 'k1', key: randomBytes(32) }];

describe('audit pseudonyms', () => {
  it('gives one value the same pseudonym every time, and never the value itself', () => {
    const pseudonym = createPseudonymiser(keyRing());
    expect(pseudonym('email', 'ada@example.test')).toBe(pseudonym('email', 'ada@example.test'));
    expect(pseudonym('email', 'ada@example.test')).toMatch(/^pseudo:[A-Za-z0-9_-]{32}$/);
    expect(pseudonym('email', 'ada@example.test')).not.toContain('ada');
  });

  it('keeps kinds apart: the same string as an address and as an IP gives two pseudonyms', () => {
    const pseudonym = createPseudonymiser(keyRing());
    expect(pseudonym('email', 'x')).not.toBe(pseudonym('ip', 'x'));
  });

  it('cannot be recomputed without the key: another key gives other pseudonyms', () => {
    expect(createPseudonymiser(keyRing())('ip', '203.0.113.7')).not.toBe(createPseudonymiser(keyRing())('ip', '203.0.113.7'));
  });
});
