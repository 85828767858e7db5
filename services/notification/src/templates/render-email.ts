import mjml2html from 'mjml';
import { EmailTemplate } from '@solar/contracts';
import { resolveBrand, type Brand, type BrandInput } from '@solar/chassis';
import { escapeHtml, layoutMjml, layoutText } from './email-layout';
import type { ErasedTemplate, LocalePack } from './localized-template';
import { LOCALES, resolveLocale } from './template-catalog';
import { TemplateVariables } from './template-variables';

/** What callers pass: at least a name; the rest falls back to the development brand (see the chassis's brand). */
export type { BrandInput as Brand } from '@solar/chassis';

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

/** The request cannot be rendered as asked: deliver-email records it as EmailFailed rendering_failed. */
export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

export interface RenderOptions {
  /** BCP 47 tag; a language without templates falls back to English (see resolveLocale). */
  locale?: string;
  /** The send time, from which "expires in 24 hours" is worded. */
  now?: Date;
  /**
   * The public web app's origin (APP_URL): every link variable must be on it. Whoever can write to
   * the email-requests topic could otherwise have us mail any http(s) link, a phishing page among
   * them, from our own address. Unchecked when absent (previews, template tests).
   */
  linkOrigin?: string;
}

/** The variables that are links, in any template. */
const LINK_VARIABLES = ['link', 'cancelLink', 'signInLink', 'inviteLink'];

export interface CompileOptions {
  /** 'strict' (the default) refuses markup MJML finds invalid, at start rather than in an inbox. */
  validationLevel?: 'strict' | 'soft';
}

type CompiledTemplate = { html: string; slots: ReadonlySet<string> };
type CompiledCatalog = ReadonlyMap<string, ReadonlyMap<EmailTemplate, CompiledTemplate>>;

const SLOT_MARKER = /\{\{([A-Za-z][A-Za-z0-9]*)\}\}/g;

// MJML takes milliseconds per template, too slow to repeat per email: each brand's templates are
// compiled once, with `{{slot}}` markers where per-email values go, and rendering fills them in.
const compiled = new Map<string, Promise<CompiledCatalog>>();

/**
 * Compiles every template of every locale for this brand, so broken markup stops the service at
 * start and the first email pays nothing. Later calls with an equal brand reuse the result.
 */
export function compileEmailTemplates(brand: BrandInput, options: CompileOptions = {}): Promise<CompiledCatalog> {
  const resolved = resolveBrand(brand);
  const level = options.validationLevel ?? 'strict';
  const key = JSON.stringify([resolved, level]);
  let catalog = compiled.get(key);
  if (!catalog) {
    catalog = compileCatalog(resolved, level);
    // A failed compile is not cached: the error reaches this caller, and the next call tries again.
    catalog.catch(() => compiled.delete(key));
    compiled.set(key, catalog);
  }
  return catalog;
}

/**
 * Fails with TemplateError rather than sending an email with a hole where a variable should be:
 * an unknown template, or a variable that is missing or not of its template's type. Every value is
 * HTML-escaped; links must be http(s) and dates ISO 8601 date-times with a zone, written in UTC.
 */
export async function renderEmail(
  template: string,
  variables: Record<string, string>,
  brand: BrandInput,
  options: RenderOptions = {},
): Promise<RenderedEmail> {
  if (!isTemplate(template)) throw new TemplateError(`no template named "${template}"`);
  const locale = resolveLocale(options.locale);
  const pack = LOCALES[locale];
  const parsed = TemplateVariables[template].safeParse(variables);
  if (!parsed.success) {
    throw new TemplateError(
      `${template}: ${parsed.error.issues.map((issue) => `variable "${issue.path.join('.')}" ${issue.message}`).join('; ')}`,
    );
  }
  if (options.linkOrigin !== undefined) {
    const data = parsed.data as Record<string, unknown>;
    for (const name of LINK_VARIABLES) {
      const value = data[name];
      // The value is not quoted: links carry tokens, and this message ends up in EmailFailed.
      if (typeof value === 'string' && new URL(value).origin !== options.linkOrigin) {
        throw new TemplateError(`${template}: variable "${name}" is not a link to the web app (${options.linkOrigin})`);
      }
    }
  }
  const resolved = resolveBrand(brand);
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- erases the template's own variables type; tsc fails without it
  const localized = pack.templates[template] as ErasedTemplate;
  const slots = localized.slots(parsed.data, pack.format, options.now ?? new Date());
  const content = localized.content(slots, resolved);
  const compiledTemplate = (await compileEmailTemplates(resolved)).get(locale)?.get(template);
  if (!compiledTemplate) throw new TemplateError(`${template} has no compiled ${locale} version`);
  for (const slot of compiledTemplate.slots) {
    if (slots[slot] === undefined) throw new TemplateError(`${template}: slot "${slot}" has no value`);
  }
  return {
    subject: content.subject,
    // One pass, so a value that happens to contain "{{x}}" is never expanded itself.
    html: compiledTemplate.html.replace(SLOT_MARKER, (_marker, slot: string) => escapeHtml(slots[slot]!)),
    text: layoutText(content, resolved, pack.layout),
  };
}

async function compileCatalog(brand: Brand, validationLevel: 'strict' | 'soft'): Promise<CompiledCatalog> {
  const catalog = new Map<string, Map<EmailTemplate, CompiledTemplate>>();
  for (const [locale, pack] of Object.entries(LOCALES)) {
    const templates = new Map<EmailTemplate, CompiledTemplate>();
    for (const template of EmailTemplate.options) {
      templates.set(template, await compileOne(template, locale, pack, brand, validationLevel));
    }
    catalog.set(locale, templates);
  }
  return catalog;
}

async function compileOne(
  template: EmailTemplate,
  locale: string,
  pack: LocalePack,
  brand: Brand,
  validationLevel: 'strict' | 'soft',
): Promise<CompiledTemplate> {
  const markers = new Proxy({}, { get: (_target, slot) => `{{${String(slot)}}}` });
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- erases the template's own variables type; tsc fails without it
  const content = (pack.templates[template] as ErasedTemplate).content(markers, brand);
  let result: Awaited<ReturnType<typeof mjml2html>>;
  try {
    // Awaited although MJML 4 answers synchronously: its types (and MJML 5) return a promise.
    result = await mjml2html(layoutMjml(content, brand, pack.layout), { validationLevel, keepComments: false });
  } catch (error) {
    // 'strict' throws a ValidationError listing every problem.
    throw new TemplateError(`${locale}/${template}: invalid MJML: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (result.errors.length > 0) {
    throw new TemplateError(`${locale}/${template}: invalid MJML: ${result.errors.map((e) => e.formattedMessage).join('; ')}`);
  }
  const slots = new Set([...result.html.matchAll(SLOT_MARKER)].map((match) => match[1]!));
  const leftover = result.html.replace(SLOT_MARKER, '');
  if (leftover.includes('{{') || leftover.includes('}}')) throw new TemplateError(`${locale}/${template}: malformed slot marker`);
  return { html: result.html, slots };
}

function isTemplate(name: string): name is EmailTemplate {
  return (EmailTemplate.options as readonly string[]).includes(name);
}
