import { english } from './en/english';
import type { LocalePack } from './localized-template';

const FALLBACK_LOCALE = 'en';

/** Keyed by primary language subtag. Add a locale by adding a pack with all sixteen templates. */
export const LOCALES: Record<string, LocalePack> = { en: english };

/**
 * `en-GB` uses `en`, `pt-BR` would use `pt`; a language without a pack falls back to English,
 * so a request in any locale is still delivered.
 */
export function resolveLocale(locale: string | undefined): string {
  const language = (locale ?? '').toLowerCase().split('-')[0] ?? '';
  return Object.hasOwn(LOCALES, language) ? language : FALLBACK_LOCALE;
}
