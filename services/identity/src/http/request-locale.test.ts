import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Locale } from '@solar/contracts';
import { requestLocale } from './request-locale';

// Through a real Express request, since the negotiation is Express's own (accepts and negotiator).
let server: ReturnType<ReturnType<typeof express>['listen']>;
let url: string;

beforeAll(async () => {
  const app = express();
  app.get('/', (req, res) => {
    const chosen = req.query.chosen === 'de' || req.query.chosen === 'en' ? req.query.chosen : undefined;
    res.send(requestLocale(req, chosen));
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

async function localeFor(acceptLanguage: string | null, chosen?: Locale): Promise<string> {
  const headers: Record<string, string> = acceptLanguage === null ? {} : { 'accept-language': acceptLanguage };
  const response = await fetch(chosen ? `${url}?chosen=${chosen}` : url, { headers });
  return response.text();
}

describe('requestLocale', () => {
  it.each([
    ['de-DE,de;q=0.9,en;q=0.8', 'de'],
    ['de-AT', 'de'],
    ['DE-ch', 'de'],
    ['en-US,en;q=0.9,de;q=0.8', 'en'],
    ['fr-FR,fr;q=0.9,de;q=0.5', 'de'],
    ['fr-FR, en;q=0.1, de;q=0.2', 'de'],
    ['en;q=0.5, de', 'de'],
    ['de;q=0, en;q=0.1', 'en'],
  ])('negotiates %p to %p', async (header, expected) => {
    expect(await localeFor(header)).toBe(expected);
  });

  it.each([['fr-FR,fr;q=0.9'], ['*'], [''], ['not a language header;;;']])('falls back to English for %p', async (header) => {
    expect(await localeFor(header)).toBe('en');
  });

  it('falls back to English without the header', async () => {
    expect(await localeFor(null)).toBe('en');
  });

  it('takes the chosen locale over the header', async () => {
    expect(await localeFor('de-DE', 'en')).toBe('en');
    expect(await localeFor('en-US', 'de')).toBe('de');
  });
});
