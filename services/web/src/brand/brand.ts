import { z } from 'zod';

/**
 * The same BRAND_* variables notification's emails read, with the same defaults, so a deployment sets
 * its brand once for the emails and the pages they link to. Kept here rather than shared: services
 * import no service, and the chassis holds no brand.
 */
export interface Brand {
  name: string;
  logoUrl?: string;
  primaryColor: string;
  textColor: string;
  backgroundColor: string;
  supportEmail: string;
  postalAddress: string;
}

const DEVELOPMENT_BRAND: Brand = {
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

export const brandConfigShape = {
  /** The name in every page's header and title, as in the emails. */
  BRAND_NAME: z.string().min(1).default(DEVELOPMENT_BRAND.name),
  /** An https image shown in the header; the name as text when unset. */
  BRAND_LOGO_URL: z
    .union([z.literal(''), z.url({ protocol: /^https$/, error: 'must be an https:// URL' })])
    .optional()
    .transform((value) => value || undefined),
  BRAND_PRIMARY_COLOR: hexColor(DEVELOPMENT_BRAND.primaryColor),
  BRAND_TEXT_COLOR: hexColor(DEVELOPMENT_BRAND.textColor),
  BRAND_BACKGROUND_COLOR: hexColor(DEVELOPMENT_BRAND.backgroundColor),
  /** Printed in the pages' footer; a placeholder outside production. */
  BRAND_SUPPORT_EMAIL: z.union([z.literal(''), z.email('must be an email address')]).optional(),
  BRAND_POSTAL_ADDRESS: z.string().optional(),
};

export function brandOf(config: {
  BRAND_NAME: string;
  BRAND_LOGO_URL?: string | undefined;
  BRAND_PRIMARY_COLOR: string;
  BRAND_TEXT_COLOR: string;
  BRAND_BACKGROUND_COLOR: string;
  BRAND_SUPPORT_EMAIL?: string | undefined;
  BRAND_POSTAL_ADDRESS?: string | undefined;
}): Brand {
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
