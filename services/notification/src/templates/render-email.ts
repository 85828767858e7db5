export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

export interface Brand {
  name: string;
}

type Renderer = (variables: Record<string, string>, brand: Brand) => RenderedEmail;

const RENDERERS: Partial<Record<string, Renderer>> = {
  'verify-email': (variables, brand) => {
    const link = requireLink(variables, 'link');
    return layout(brand, {
      subject: `Confirm your email address for ${brand.name}`,
      paragraphs: [`Welcome to ${brand.name}. Confirm that this address is yours to finish setting up your account.`],
      action: { label: 'Confirm email address', url: link },
      footnote: 'The link works once and expires in 24 hours. If you did not sign up, ignore this email.',
    });
  },
  'registration-attempt': (_variables, brand) =>
    layout(brand, {
      subject: `Someone tried to sign up to ${brand.name} with your address`,
      paragraphs: [
        `Someone just tried to create a ${brand.name} account with this email address, which already has an account.`,
        'If it was you, sign in instead, or reset your password if you have forgotten it.',
      ],
      footnote: 'If it was not you, nothing has changed and you need not do anything.',
    }),
  'password-reset': (variables, brand) => {
    const link = requireLink(variables, 'link');
    return layout(brand, {
      subject: `Reset your ${brand.name} password`,
      paragraphs: [
        `Someone asked to reset the password of the ${brand.name} account with this address. If it was you, choose a new password.`,
      ],
      action: { label: 'Choose a new password', url: link },
      footnote: 'The link works once and expires in 1 hour. If you did not ask for it, ignore this email: your password stays as it is.',
    });
  },
  'password-changed': (_variables, brand) =>
    layout(brand, {
      subject: `Your ${brand.name} password was changed`,
      paragraphs: [
        `The password of your ${brand.name} account was just changed, and your other sessions were signed out.`,
        'If it was you, there is nothing more to do.',
      ],
      footnote:
        'If it was not you, reset your password now with "Forgot password" on the sign-in page, and check the sessions and activity in your account settings.',
    }),
  'account-locked': (variables, brand) => {
    const lockedUntil = requireDate(variables, 'lockedUntil');
    return layout(brand, {
      subject: `Sign-in to your ${brand.name} account is paused`,
      paragraphs: [
        `There were too many failed attempts to sign in to your ${brand.name} account, so sign-in is paused until ${humanUtc(lockedUntil)}.`,
        'If it was you, wait until then and try again, or reset your password if you have forgotten it.',
      ],
      footnote:
        'If it was not you, someone may be guessing your password: once sign-in resumes, consider resetting it to a long, unique one.',
    });
  },
};

/** Fails rather than sending an email with a hole where a variable should be. */
export function renderEmail(template: string, variables: Record<string, string>, brand: Brand): RenderedEmail {
  const renderer = RENDERERS[template];
  if (!renderer) throw new TemplateError(`no template named "${template}"`);
  return renderer(variables, brand);
}

function requireLink(variables: Record<string, string>, name: string): string {
  const value = variables[name];
  if (!value) throw new TemplateError(`variable "${name}" is missing`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TemplateError(`variable "${name}" is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TemplateError(`variable "${name}" must be an http(s) URL`);
  return url.toString();
}

function requireDate(variables: Record<string, string>, name: string): Date {
  const value = variables[name];
  if (!value) throw new TemplateError(`variable "${name}" is missing`);
  // ISO 8601 with a time and zone only: a bare date or local time would be read in the server's zone.
  const date = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value) ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime())) throw new TemplateError(`variable "${name}" is not an ISO 8601 date-time`);
  return date;
}

/** "Monday, 2 March 2026 at 10:15 UTC": the same for every reader, whatever the server's zone. */
function humanUtc(date: Date): string {
  const formatted = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'UTC',
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(date);
  return `${formatted} UTC`;
}

interface Content {
  subject: string;
  paragraphs: string[];
  action?: { label: string; url: string };
  footnote: string;
}

function layout(brand: Brand, content: Content): RenderedEmail {
  const action = content.action;
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(content.subject)}</title></head>
<body style="margin:0;padding:24px;background:#f4f5f7;font-family:Arial,Helvetica,sans-serif;color:#1f2933">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr><td align="center">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:560px;background:#ffffff;border-radius:8px;padding:32px">
<tr><td><h1 style="font-size:20px;margin:0 0 16px">${escapeHtml(brand.name)}</h1>
${content.paragraphs.map((p) => `<p style="font-size:16px;line-height:24px;margin:0 0 16px">${escapeHtml(p)}</p>`).join('\n')}
${action ? `<p style="margin:24px 0"><a href="${escapeHtml(action.url)}" style="display:inline-block;background:#1a56db;color:#ffffff;text-decoration:none;padding:12px 20px;border-radius:6px;font-weight:bold">${escapeHtml(action.label)}</a></p>\n<p style="font-size:13px;line-height:20px;color:#52606d;word-break:break-all">${escapeHtml(action.url)}</p>` : ''}
<p style="font-size:13px;line-height:20px;color:#52606d;margin:24px 0 0">${escapeHtml(content.footnote)}</p>
</td></tr></table></td></tr></table></body></html>
`;
  const text = [
    brand.name,
    '',
    ...content.paragraphs.flatMap((p) => [p, '']),
    ...(action ? [`${action.label}: ${action.url}`, ''] : []),
    content.footnote,
    '',
  ].join('\n');
  return { subject: content.subject, html, text };
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]!);
}
