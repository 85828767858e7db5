import { EmailTemplate, SUPPORTED_LOCALES } from '@solar/contracts';
import { resolveBrand } from '@solar/chassis';
import type { EmailContent } from './email-layout';
import type { ErasedTemplate, LocalePack } from './localized-template';
import { SAMPLE_NOW, SAMPLE_VARIABLES } from './email-samples';
import { LOCALES } from './template-catalog';
import { TemplateVariables } from './template-variables';

/*
 * The type system makes every pack have every template; this checks what it cannot: that each
 * language's version of a template computes the same slots from the same variables and says the
 * same things with them (every slot shown, the same link on the button, as many paragraphs and
 * notes), and that the layout has the same words in each. A message added in one language and not
 * the others fails here, naming the template and the locale.
 */
const brand = resolveBrand({ name: 'Solar Accounts' });
const [reference, ...others] = SUPPORTED_LOCALES;
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- erases the template's own variables type, as render-email does
const erased = (pack: LocalePack, template: EmailTemplate) => pack.templates[template] as ErasedTemplate;

/** The content with `{{slot}}` markers, as the compiler sees it, reduced to its shape and the slots each part uses. */
function shape(content: EmailContent) {
  const slotsIn = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((match) => match[1]).sort();
  return {
    subject: slotsIn(content.subject),
    preview: slotsIn(content.preview),
    heading: slotsIn(content.heading),
    paragraphs: content.paragraphs.map(slotsIn),
    action: content.action ? { label: slotsIn(content.action.label), url: content.action.url } : null,
    notes: content.notes.map(slotsIn),
  };
}

const markers = new Proxy({}, { get: (_target, slot) => `{{${String(slot)}}}` }) as Record<string, string>;

describe.each(others)('the %s pack against the reference pack', (locale) => {
  it.each(EmailTemplate.options)('%s has the same slots, from the sample variables', (template) => {
    const variables = TemplateVariables[template].parse(SAMPLE_VARIABLES[template]);
    const slotsOf = (pack: LocalePack) => Object.keys(erased(pack, template).slots(variables, pack.format, SAMPLE_NOW)).sort();
    expect(slotsOf(LOCALES[locale])).toEqual(slotsOf(LOCALES[reference]));
  });

  it.each(EmailTemplate.options)('%s uses every slot in the same parts, with as many paragraphs and notes', (template) => {
    const shapeOf = (pack: LocalePack) => shape(erased(pack, template).content(markers, brand));
    expect(shapeOf(LOCALES[locale])).toEqual(shapeOf(LOCALES[reference]));
  });

  it.each(EmailTemplate.options)('%s is translated, not a copy of the reference', (template) => {
    const contentOf = (pack: LocalePack) => erased(pack, template).content(markers, brand);
    const [translated, original] = [contentOf(LOCALES[locale]), contentOf(LOCALES[reference])];
    expect(translated.subject).not.toBe(original.subject);
    expect(translated.heading).not.toBe(original.heading);
    translated.paragraphs.forEach((paragraph, i) => expect(paragraph).not.toBe(original.paragraphs[i]));
  });

  it('has the same layout strings, in its own language', () => {
    const keys = (pack: LocalePack) => Object.keys(pack.layout).sort();
    expect(keys(LOCALES[locale])).toEqual(keys(LOCALES[reference]));
    expect(LOCALES[locale].layout.lang).toBe(locale);
    for (const key of ['linkFallback'] as const) expect(LOCALES[locale].layout[key]).not.toBe(LOCALES[reference].layout[key]);
    expect(LOCALES[locale].layout.reason('Solar Accounts')).toContain('Solar Accounts');
    expect(LOCALES[locale].layout.support('help@solar.example')).toContain('help@solar.example');
  });
});

describe('the locale packs', () => {
  it('exist for every supported locale and no other', () => {
    expect(Object.keys(LOCALES).sort()).toEqual([...SUPPORTED_LOCALES].sort());
  });

  it('fail the comparison when a language drops a slot or a note', () => {
    // The check itself, on a deliberately broken copy: a German verify-email that forgot the expiry.
    const german = erased(LOCALES.de, 'verify-email');
    const content = german.content(markers, brand);
    const broken = { ...content, notes: content.notes.slice(1) };
    const english = shape(erased(LOCALES.en, 'verify-email').content(markers, brand));
    expect(shape(broken)).not.toEqual(english);
    expect(shape(content)).toEqual(english);
  });
});
