import type { EmailTemplate } from '@solar/contracts';
import type { Brand } from '@solar/chassis';
import type { EmailContent, LayoutStrings } from './email-layout';
import type { TemplateVariables } from './template-variables';

/** How a locale writes the values that vary between emails. */
export interface LocaleFormat {
  /** A date-time readers anywhere read the same way: e.g. "Monday, 2 March 2026 at 10:15 UTC". */
  dateTime(date: Date): string;
  /** How far ahead `date` is, e.g. "in 24 hours"; worded for the past once it has gone by. */
  timeUntil(date: Date, now: Date): string;
}

/**
 * One template in one language. `slots` turns checked variables into display strings; `content`
 * must use those strings only as text (no branching on them), because it is called once with
 * `{{slot}}` markers to compile the HTML, and once per email with the real strings for the
 * subject and the text part.
 */
export interface LocalizedTemplate<T extends EmailTemplate, Slot extends string> {
  slots(variables: TemplateVariables<T>, format: LocaleFormat, now: Date): Record<Slot, string>;
  content(slots: Record<Slot, string>, brand: Brand): EmailContent;
}

/** A template with its variable type erased, for code that parsed them with the template's own schema. */
export interface ErasedTemplate {
  slots(variables: object, format: LocaleFormat, now: Date): Record<string, string>;
  content(slots: Record<string, string>, brand: Brand): EmailContent;
}

export interface LocalePack {
  layout: LayoutStrings;
  format: LocaleFormat;
  templates: { [T in EmailTemplate]: LocalizedTemplate<T, string> };
}

/** Lets a template file infer its slot names from what `slots` returns. */
export const defineTemplate = <T extends EmailTemplate, Slot extends string>(
  _name: T,
  template: LocalizedTemplate<T, Slot>,
): LocalizedTemplate<T, Slot> => template;
