import { onColor, type Brand } from '@solar/chassis';

/** What one email says; the layout decides how it looks, the same way for every template. */
export interface EmailContent {
  subject: string;
  /** Shown by inboxes next to the subject, hidden in the body. */
  preview: string;
  heading: string;
  paragraphs: string[];
  action?: { label: string; url: string };
  /** Small print under the action: expiry, and what to do if it was not the reader. */
  notes: string[];
}

/** The layout's own words, per locale. */
export interface LayoutStrings {
  /** BCP 47 tag for `<html lang>`. */
  lang: string;
  /** Under the button, for clients that block it or readers who prefer to copy the link. */
  linkFallback: string;
  /** Footer line: why the reader gets this email. */
  reason(brandName: string): string;
  support(email: string): string;
}

const MUTED_SIZE = '13px';

/**
 * The one responsive layout, as MJML. Every string is HTML-escaped here, because MJML copies text
 * and attribute values as they are; the `{{slot}}` markers survive escaping and are filled in later.
 */
export function layoutMjml(content: EmailContent, brand: Brand, strings: LayoutStrings): string {
  const esc = escapeHtml;
  const text = (body: string, attributes = '') => `<mj-text${attributes}>${body}</mj-text>`;
  // The header and footer sit on the background, not the white card: on a dark one, text turns white.
  const onBackground = onColor(brand.backgroundColor) === '#ffffff' ? '#ffffff' : brand.textColor;
  const header = brand.logoUrl
    ? `<mj-image src="${esc(brand.logoUrl)}" alt="${esc(brand.name)}" width="160px" align="left" padding="0" />`
    : text(esc(brand.name), ` font-size="20px" font-weight="bold" padding="0" color="${onBackground}"`);
  const action = content.action
    ? [
        `<mj-button href="${esc(content.action.url)}" background-color="${brand.primaryColor}" color="${onColor(brand.primaryColor)}" font-size="16px" font-weight="bold" border-radius="6px" inner-padding="12px 24px" align="left" padding="8px 0 16px">${esc(content.action.label)}</mj-button>`,
        text(
          `${esc(strings.linkFallback)}<br /><span style="word-break:break-all">${esc(content.action.url)}</span>`,
          ` font-size="${MUTED_SIZE}" line-height="20px"`,
        ),
      ]
    : [];
  return `<mjml lang="${esc(strings.lang)}">
  <mj-head>
    <mj-title>${esc(content.subject)}</mj-title>
    <mj-preview>${esc(content.preview)}</mj-preview>
    <mj-attributes>
      <mj-all font-family="Helvetica, Arial, sans-serif" />
      <mj-text color="${brand.textColor}" font-size="16px" line-height="24px" padding="0 0 16px" />
    </mj-attributes>
  </mj-head>
  <mj-body background-color="${brand.backgroundColor}" width="600px">
    <mj-section padding="24px 16px 16px">
      <mj-column>${header}</mj-column>
    </mj-section>
    <mj-section background-color="#ffffff" border-radius="8px" padding="32px 24px 16px">
      <mj-column>
        ${text(esc(content.heading), ' font-size="22px" line-height="30px" font-weight="bold"')}
        ${content.paragraphs.map((paragraph) => text(esc(paragraph))).join('\n        ')}
        ${action.join('\n        ')}
        ${content.notes.map((note) => text(esc(note), ` font-size="${MUTED_SIZE}" line-height="20px"`)).join('\n        ')}
      </mj-column>
    </mj-section>
    <mj-section padding="16px 16px 32px">
      <mj-column>
        ${text(
          [strings.reason(brand.name), strings.support(brand.supportEmail), brand.postalAddress].map(esc).join('<br />'),
          ` font-size="12px" line-height="18px" align="center" color="${onBackground}"`,
        )}
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>
`;
}

/** The plain-text part: the same words in the same order, with the link written out. */
export function layoutText(content: EmailContent, brand: Brand, strings: LayoutStrings): string {
  return [
    brand.name,
    '',
    content.heading,
    '',
    ...content.paragraphs.flatMap((paragraph) => [paragraph, '']),
    ...(content.action ? [`${content.action.label}: ${content.action.url}`, ''] : []),
    ...content.notes.flatMap((note) => [note, '']),
    '-- ',
    strings.reason(brand.name),
    strings.support(brand.supportEmail),
    brand.postalAddress,
    '',
  ].join('\n');
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]!);
}
