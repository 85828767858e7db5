import { randomBytes } from 'node:crypto';
import { createEvent, isEvent, type CloudEvent, type EventData } from '@solar/contracts';
import { EmailVariableError, openEmailVariables, sealEmailRequest } from './email-variable-sealing';
import { createSealer, parseKeyRing } from './sealer';

const ring = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;
const LINK = 'https://app.example/reset-password?token=s3cr3t-token';

function resetRequest(to = 'ada@example.com'): CloudEvent<'EmailRequested'> {
  return createEvent('EmailRequested', {
    source: '/identity',
    subject: 'user-1',
    data: { template: 'password-reset', to, variables: { link: LINK, expiresAt: '2030-01-01T00:00:00.000Z' } },
  });
}

describe('email variable sealing', () => {
  const keys = ring('l1');
  const sealer = createSealer(parseKeyRing(keys));
  const seal = sealEmailRequest(sealer);
  const sealedData = (event = resetRequest()): EventData<'EmailRequested'> => {
    const sealed = seal(event);
    if (!isEvent(sealed, 'EmailRequested')) throw new Error('not an email request');
    return sealed.data;
  };

  it('moves every link into sealedVariables, leaves the rest in clear, and opens them again', () => {
    const data = sealedData();
    expect(data.variables).toEqual({ expiresAt: '2030-01-01T00:00:00.000Z' });
    expect(Object.keys(data.sealedVariables)).toEqual(['link']);
    expect(JSON.stringify(data)).not.toContain('s3cr3t');
    expect(openEmailVariables(sealer, data)).toEqual({ link: LINK, expiresAt: '2030-01-01T00:00:00.000Z' });
  });

  it.each(['link', 'cancelLink', 'signInLink', 'inviteLink'])('seals %s', (name) => {
    const event = createEvent('EmailRequested', {
      source: '/identity',
      subject: 'user-1',
      data: { template: 'waitlist-approved', to: 'ada@example.com', variables: { [name]: LINK } },
    });
    const sealed = seal(event);
    expect(isEvent(sealed, 'EmailRequested') && sealed.data.sealedVariables[name]).toMatch(/^v2\.l1\./);
  });

  it('passes other events unchanged', () => {
    const event = createEvent('PasswordChanged', {
      source: '/identity',
      subject: 'user-1',
      data: { userId: 'user-1', via: 'change', sessionsRevoked: false },
    });
    expect(seal(event)).toBe(event);
  });

  it('opens after a rotation: an older key still opens what it sealed', () => {
    const data = sealedData();
    const rotated = createSealer(parseKeyRing(`${ring('l2')},${keys}`));
    expect(openEmailVariables(rotated, data).link).toBe(LINK);
  });

  it('binds the recipient case-blind: the same address upper-cased still opens', () => {
    const data = sealedData();
    expect(openEmailVariables(sealer, { ...data, to: 'ADA@Example.com' }).link).toBe(LINK);
  });

  describe('refuses, naming the variable and never its value', () => {
    const refusal = (data: EventData<'EmailRequested'>, opener = sealer) => {
      try {
        openEmailVariables(opener, data);
      } catch (error) {
        expect(error).toBeInstanceOf(EmailVariableError);
        expect((error as Error).message).not.toContain('s3cr3t');
        return (error as Error).message;
      }
      throw new Error('opened');
    };

    it('a link in clear', () => {
      expect(refusal(resetRequest().data)).toBe(
        'password-reset: variable "link" arrived in clear; links must be sealed with EMAIL_LINK_KEYS',
      );
    });

    it.each([
      ['another recipient', (data: EventData<'EmailRequested'>) => ({ ...data, to: 'mallory@example.com' })],
      ['another template', (data: EventData<'EmailRequested'>) => ({ ...data, template: 'verify-email' as const })],
      [
        'another variable',
        (data: EventData<'EmailRequested'>) => ({ ...data, sealedVariables: { inviteLink: data.sealedVariables.link! } }),
      ],
      [
        'an altered value',
        (data: EventData<'EmailRequested'>) => ({ ...data, sealedVariables: { link: `${data.sealedVariables.link!}A` } }),
      ],
      ['a value that is not sealed text', (data: EventData<'EmailRequested'>) => ({ ...data, sealedVariables: { link: LINK } })],
    ])('a sealed link moved to %s', (_label, move) => {
      expect(refusal(move(sealedData()))).toMatch(/sealed variable "\w+" does not open/);
    });

    it('a link sealed with a key the opener does not hold, even under the same id', () => {
      const elsewhere = sealEmailRequest(createSealer(parseKeyRing(ring('l1'))))(resetRequest());
      if (!isEvent(elsewhere, 'EmailRequested')) throw new Error('not an email request');
      expect(refusal(elsewhere.data)).toMatch(/sealed variable "link" does not open/);
    });

    it('a variable both sealed and in clear', () => {
      const data = sealedData();
      expect(
        refusal({
          ...data,
          variables: { ...data.variables, expiresAt: 'x' },
          sealedVariables: { ...data.sealedVariables, expiresAt: 'x' },
        }),
      ).toMatch(/variable "expiresAt" is both sealed and in clear/);
    });
  });
});
