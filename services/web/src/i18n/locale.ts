import type { Request, Response } from 'express';
import { SUPPORTED_LOCALES, type Locale } from '@solar/contracts';
import { de } from './de';
import { en, type Catalog, type MessageKey } from './en';

/** The languages the whole product speaks (contracts): a new one needs a catalog here to compile. */
export const LOCALES = SUPPORTED_LOCALES;
export type { Locale };
export const CATALOGS: Record<Locale, Catalog> = { en, de };

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

const isLocale = (value: unknown): value is Locale => typeof value === 'string' && (LOCALES as readonly string[]).includes(value);

/** The catalog's text with its `{name}` markers filled; a marker without a value stays, so a missing one shows in tests. */
export function translator(locale: Locale): Translate {
  const catalog = CATALOGS[locale];
  return (key, values = {}) =>
    catalog[key].replace(/\{(\w+)\}/g, (marker, name: string) => (name in values ? String(values[name]) : marker));
}

const LANG_COOKIE = 'lang';

/**
 * The page language: a choice made with the language link (its cookie), else the browser's
 * Accept-Language as Express negotiates it (the `negotiator` package), else English.
 */
export function localeOf(req: Request, cookies: Record<string, string | undefined>): Locale {
  const chosen = cookies[LANG_COOKIE];
  if (isLocale(chosen)) return chosen;
  const accepted = req.acceptsLanguages(...LOCALES);
  return isLocale(accepted) ? accepted : 'en';
}

/** `?lang=de` on any GET: remembered for a year, then the same page without the parameter. */
export function switchLanguage(req: Request, res: Response, secure: boolean): boolean {
  const wanted = req.query.lang;
  if (req.method !== 'GET' || !isLocale(wanted)) return false;
  rememberLanguage(res, wanted, secure);
  const url = new URL(req.originalUrl, 'http://self');
  url.searchParams.delete('lang');
  res.redirect(303, url.pathname + url.search);
  return true;
}

/** The page language of this browser from now on, for a year: the language link, or the account's own language when its owner changes it. */
export function rememberLanguage(res: Response, locale: Locale, secure: boolean): void {
  res.cookie(LANG_COOKIE, locale, { httpOnly: true, secure, sameSite: 'lax', path: '/', maxAge: 365 * 24 * 3600 * 1000 });
}

/** Dates as a person of the page's language writes them, in UTC (the pages do not know the reader's zone). */
export function formatDate(locale: Locale, iso: string): string {
  return `${new Intl.DateTimeFormat(locale === 'de' ? 'de-DE' : 'en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(iso))} UTC`;
}
