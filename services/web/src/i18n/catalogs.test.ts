import { CATALOGS, LOCALES, translator } from './locale';
import { en } from './en';

const markers = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

describe('message catalogs', () => {
  it.each(LOCALES)('%s has exactly the English keys, none empty, with the same {markers}', (locale) => {
    const catalog = CATALOGS[locale];
    expect(Object.keys(catalog).sort()).toEqual(Object.keys(en).sort());
    for (const [key, text] of Object.entries(catalog)) {
      expect([key, text.trim().length > 0]).toEqual([key, true]);
      expect([key, markers(text)]).toEqual([key, markers(en[key as keyof typeof en])]);
    }
  });

  it('fills markers, and leaves a marker without a value visible', () => {
    expect(translator('de')('retry.seconds', { n: 5 })).toBe('Versuchen Sie es in 5 Sekunden erneut.');
    expect(translator('en')('retry.seconds')).toBe('Try again in {n} seconds.');
  });
});
