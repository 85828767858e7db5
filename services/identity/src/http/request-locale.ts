import type { Request } from 'express';
import { DEFAULT_LOCALE, SUPPORTED_LOCALES, type Locale } from '@solar/contracts';

/**
 * The locale a new account or waitlist entry gets: the one the client chose (a page sends its own;
 * the body's schema already refused any other), else the best supported match of the request's
 * Accept-Language (Express's negotiator: quality values, `de-DE` matching `de`), else English.
 */
export function requestLocale(req: Pick<Request, 'acceptsLanguages'>, chosen: Locale | undefined): Locale {
  if (chosen) return chosen;
  // Without the header the negotiator offers the first of the list, English, which is the fallback anyway.
  const negotiated = req.acceptsLanguages(...SUPPORTED_LOCALES);
  return SUPPORTED_LOCALES.find((locale) => locale === negotiated) ?? DEFAULT_LOCALE;
}
