import { z } from 'zod';
import { ConfigError } from './config';
import type { NodeEnv } from './node-env';

/**
 * What the emails and the pages vary by deployment. One definition for both, so a deployment sets its
 * brand once and the emails look like the pages they link to.
 */
export interface Brand {
  name: string;
  /** An https image shown above the content; the brand name as text when absent. */
  logoUrl?: string;
  primaryColor: string;
  textColor: string;
  backgroundColor: string;
  supportEmail: string;
  /** Anti-spam laws (CAN-SPAM, and the like) want a physical address in every email. */
  postalAddress: string;
}

/** Callers may give only a name (tests, older wiring); the rest takes the development defaults. */
export type BrandInput = Pick<Brand, 'name'> & Partial<Brand>;

export const DEVELOPMENT_BRAND: Brand = {
  name: 'Solar Accounts',
  primaryColor: '#1a56db',
  textColor: '#1f2933',
  backgroundColor: '#f4f5f7',
  supportEmail: 'support@solar-intelligence.local',
  postalAddress: 'Solar Intelligence, 1 Example Street, 10115 Berlin, Germany',
};

const hexColor = (fallback: string) =>
  z
    .string()
    .regex(/^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/, 'must be a hex colour such as #1a56db')
    .default(fallback);

/** The email layout's markers are `{{name}}`, so brand text must not look like one. */
const brandText = z
  .string()
  .min(1)
  .refine((text) => !text.includes('{{') && !text.includes('}}'), 'must not contain "{{" or "}}"');

/** Spread into the service config; `brandFromConfig` turns the result into a Brand. */
export const brandConfigShape = {
  BRAND_NAME: brandText.default(DEVELOPMENT_BRAND.name),
  // Empty means unset, so `BRAND_LOGO_URL=` in an env file is allowed.
  BRAND_LOGO_URL: z
    .union([z.literal(''), z.url({ protocol: /^https$/, error: 'must be an https:// URL' })])
    .optional()
    .transform((value) => value || undefined),
  BRAND_PRIMARY_COLOR: hexColor(DEVELOPMENT_BRAND.primaryColor),
  BRAND_TEXT_COLOR: hexColor(DEVELOPMENT_BRAND.textColor),
  BRAND_BACKGROUND_COLOR: hexColor(DEVELOPMENT_BRAND.backgroundColor),
  // No default in the schema: production must set these two (see brandFromConfig).
  BRAND_SUPPORT_EMAIL: z.union([z.literal(''), z.email('must be an email address')]).optional(),
  BRAND_POSTAL_ADDRESS: z.union([z.literal(''), brandText]).optional(),
};

export const BrandConfig = z.object(brandConfigShape);
export type BrandConfig = z.output<typeof BrandConfig>;

/**
 * Development and test fall back to placeholder contact details; production refuses to start
 * without real ones, since an email without a postal address breaks anti-spam law.
 */
export function brandFromConfig(config: BrandConfig & { NODE_ENV: NodeEnv }): Brand {
  const missing = (['BRAND_SUPPORT_EMAIL', 'BRAND_POSTAL_ADDRESS'] as const).filter((name) => !config[name]);
  if (config.NODE_ENV === 'production' && missing.length > 0) {
    throw new ConfigError(missing.map((name) => `${name}: is required in production (it is printed in every email's footer)`));
  }
  return {
    name: config.BRAND_NAME,
    ...(config.BRAND_LOGO_URL ? { logoUrl: config.BRAND_LOGO_URL } : {}),
    primaryColor: config.BRAND_PRIMARY_COLOR,
    textColor: config.BRAND_TEXT_COLOR,
    backgroundColor: config.BRAND_BACKGROUND_COLOR,
    supportEmail: config.BRAND_SUPPORT_EMAIL || DEVELOPMENT_BRAND.supportEmail,
    postalAddress: config.BRAND_POSTAL_ADDRESS || DEVELOPMENT_BRAND.postalAddress,
  };
}

export function resolveBrand(input: BrandInput): Brand {
  return { ...DEVELOPMENT_BRAND, ...withoutUndefined(input) };
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const channels = (hex: string): [number, number, number] => {
  const digits = hex.length === 4 ? [...hex.slice(1)].map((d) => d + d) : [hex.slice(1, 3), hex.slice(3, 5), hex.slice(5, 7)];
  return digits.map((d) => parseInt(d, 16)) as [number, number, number];
};

/** `a` moved towards `b` by `ratio` (0..1), per channel. */
export function mixColors(a: string, b: string, ratio: number): string {
  const [x, y] = [channels(a), channels(b)];
  return `#${x
    .map((c, i) =>
      Math.round(c + ((y[i] ?? c) - c) * ratio)
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}

/** Text on the primary colour: white or near-black, whichever contrasts more (WCAG relative luminance). */
export function onColor(hex: string): string {
  const [r, g, b] = channels(hex).map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return 1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.05 ? '#ffffff' : '#111111';
}
