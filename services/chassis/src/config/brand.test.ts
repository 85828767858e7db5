import { z } from 'zod';
import { BrandConfig, DEVELOPMENT_BRAND, brandFromConfig, mixColors, onColor } from './brand';
import { ConfigError, loadConfig } from './config';

const Config = BrandConfig.extend({ NODE_ENV: z.enum(['development', 'test', 'production']).default('development') });
const load = (env: Record<string, string>) => brandFromConfig(loadConfig(Config, env));

describe('brand configuration', () => {
  it('defaults to a development brand that needs no variables', () => {
    expect(load({})).toEqual(DEVELOPMENT_BRAND);
  });

  it('reads every brand variable, and treats an empty logo URL as none', () => {
    const brand = load({
      BRAND_NAME: 'Helios',
      BRAND_LOGO_URL: 'https://cdn.example/logo.png',
      BRAND_PRIMARY_COLOR: '#0F766E',
      BRAND_TEXT_COLOR: '#222',
      BRAND_BACKGROUND_COLOR: '#ffffff',
      BRAND_SUPPORT_EMAIL: 'help@helios.example',
      BRAND_POSTAL_ADDRESS: 'Helios Ltd, 2 Sun Road, London',
    });
    expect(brand).toEqual({
      name: 'Helios',
      logoUrl: 'https://cdn.example/logo.png',
      primaryColor: '#0F766E',
      textColor: '#222',
      backgroundColor: '#ffffff',
      supportEmail: 'help@helios.example',
      postalAddress: 'Helios Ltd, 2 Sun Road, London',
    });
    expect(load({ BRAND_LOGO_URL: '' }).logoUrl).toBeUndefined();
  });

  it.each([
    ['BRAND_PRIMARY_COLOR', 'blue'],
    ['BRAND_TEXT_COLOR', '#12345'],
    ['BRAND_BACKGROUND_COLOR', 'rgb(0,0,0)'],
    ['BRAND_LOGO_URL', 'http://cdn.example/logo.png'],
    ['BRAND_LOGO_URL', 'javascript:alert(1)'],
    ['BRAND_SUPPORT_EMAIL', 'not an address'],
    ['BRAND_NAME', 'Solar {{x}}'],
  ])('refuses %s=%p at start, naming the variable', (name, value) => {
    expect(() => load({ [name]: value })).toThrow(new RegExp(name));
  });

  it('refuses to start in production without a real support address and postal footer', () => {
    expect(() => load({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => load({ NODE_ENV: 'production', BRAND_SUPPORT_EMAIL: 'help@solar.example' })).toThrow(/BRAND_POSTAL_ADDRESS/);
    expect(
      load({ NODE_ENV: 'production', BRAND_SUPPORT_EMAIL: 'help@solar.example', BRAND_POSTAL_ADDRESS: 'Solar GmbH, Berlin' }).postalAddress,
    ).toBe('Solar GmbH, Berlin');
  });

  it.each([
    ['#1a56db', '#ffffff'],
    ['#ffcc00', '#111111'],
    ['#fff', '#111111'],
    ['#000', '#ffffff'],
  ])('puts readable text on a %s button', (background, text) => {
    expect(onColor(background)).toBe(text);
  });

  it('mixes two colours channel by channel, short forms included', () => {
    expect(mixColors('#000000', '#ffffff', 0.5)).toBe('#808080');
    expect(mixColors('#1a56db', '#fff', 0)).toBe('#1a56db');
    expect(mixColors('#1a56db', '#fff', 1)).toBe('#ffffff');
  });
});
