import { DEFAULT_LOCALE, SUPPORTED_LOCALES, type Locale } from '@solar/contracts';
import { german } from './de/german';
import { english } from './en/english';
import type { LocalePack } from './localized-template';

/**
 * One pack per supported locale (the list identity validates against, in contracts): the type
 * refuses a supported locale without a pack, and LocalePack a pack without every template.
 */
export const LOCALES: { readonly [L in Locale]: LocalePack } = { en: english, de: german };

/**
 * `en-GB` uses `en`, `de-AT` uses `de`; a language without a pack (an event from a producer that
 * does not validate against the supported list) falls back to English, so the email is still sent.
 */
export function resolveLocale(locale: string | undefined): Locale {
  const language = (locale ?? '').toLowerCase().split('-')[0] ?? '';
  return SUPPORTED_LOCALES.find((supported) => supported === language) ?? DEFAULT_LOCALE;
}
