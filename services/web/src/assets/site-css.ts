import { mixColors, onColor, type Brand } from '@solar/chassis';

/**
 * The one stylesheet, served from our origin (the CSP allows no inline style): the brand's colours
 * in light mode, and a dark scheme derived from them for `prefers-color-scheme: dark`.
 */
export function siteCss(brand: Brand): string {
  const darkLink = mixColors(brand.primaryColor, '#ffffff', 0.55);
  return `:root {
  color-scheme: light dark;
  --bg: ${brand.backgroundColor};
  --card: #ffffff;
  --text: ${brand.textColor};
  --border: ${mixColors(brand.textColor, '#ffffff', 0.6)};
  --primary: ${brand.primaryColor};
  --on-primary: ${onColor(brand.primaryColor)};
  --link: ${brand.primaryColor};
  --error: #b42318;
  --error-bg: #fef3f2;
  --success-bg: #ecfdf3;
  --info-bg: ${mixColors(brand.primaryColor, '#ffffff', 0.9)};
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #111418;
    --card: #1c2128;
    --text: #e6e8eb;
    --border: #6b7480;
    --link: ${darkLink};
    --error: #ffb4ab;
    --error-bg: #3b1714;
    --success-bg: #10301f;
    --info-bg: #172236;
  }
}
*, *::before, *::after { box-sizing: border-box; }
html { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; line-height: 1.5; }
body { margin: 0; background: var(--bg); color: var(--text); min-height: 100vh; display: flex; flex-direction: column; }
a { color: var(--link); text-decoration: underline; }
.site-header { display: flex; justify-content: space-between; align-items: center; gap: 1rem; padding: 0.75rem 1rem; flex-wrap: wrap; }
.site-header nav { display: flex; gap: 1rem; align-items: center; }
.brand { font-weight: 700; font-size: 1.125rem; color: var(--text); text-decoration: none; }
main { flex: 1; width: 100%; max-width: 32rem; margin: 0 auto; padding: 1rem; }
.card { background: var(--card); border: 1px solid var(--border); border-radius: 0.5rem; padding: 1.5rem; }
h1 { font-size: 1.5rem; margin: 0 0 1rem; line-height: 1.25; }
h2 { font-size: 1.125rem; margin: 1.5rem 0 0.5rem; }
.field { margin-bottom: 1rem; }
label { display: block; font-weight: 600; margin-bottom: 0.25rem; }
.hint { margin: 0 0 0.25rem; font-size: 0.875rem; }
input[type="text"], input[type="email"], input[type="password"], select {
  width: 100%; font: inherit; padding: 0.5rem 0.75rem; color: var(--text); background: var(--card);
  border: 1px solid var(--border); border-radius: 0.375rem;
}
input[readonly] { background: var(--bg); }
.entries { list-style: none; margin: 0 0 1rem; padding: 0; }
.entry { border-top: 1px solid var(--border); padding: 0.75rem 0; }
.entry:last-child { border-bottom: 1px solid var(--border); }
.entry p { margin: 0 0 0.25rem; }
.entry form { margin-top: 0.5rem; }
.entry-meta { font-size: 0.875rem; overflow-wrap: anywhere; }
.entry-failed .entry-title { color: var(--error); font-weight: 600; }
.tag { display: inline-block; font-size: 0.75rem; font-weight: 600; padding: 0.125rem 0.5rem; border-radius: 999px;
  background: var(--info-bg); border: 1px solid var(--border); }
.field-invalid input { border: 2px solid var(--error); }
.field-error { color: var(--error); font-weight: 600; margin: 0 0 0.25rem; }
:focus-visible { outline: 3px solid var(--link); outline-offset: 2px; }
.button { display: inline-block; font: inherit; font-weight: 600; padding: 0.625rem 1.25rem; border: 0; border-radius: 0.375rem;
  background: var(--primary); color: var(--on-primary); cursor: pointer; text-decoration: none; }
.button-small { padding: 0.375rem 0.875rem; font-size: 0.875rem; }
.button-secondary { background: transparent; color: var(--link); border: 1px solid var(--link); }
.button[aria-disabled="true"] { opacity: 0.7; }
.link-button { font: inherit; background: none; border: 0; padding: 0; color: var(--link); text-decoration: underline; cursor: pointer; }
.inline-form { display: inline; }
.admin-nav { display: flex; flex-wrap: wrap; gap: 1rem; margin-bottom: 1rem; }
.admin-nav [aria-current="page"] { font-weight: 600; }
.admin-action { margin-bottom: 1rem; }
.entry-buttons { display: flex; gap: 0.5rem; margin: 0.5rem 0 0; }
.table-scroll { overflow-x: auto; }
.admin-table { border-collapse: collapse; width: 100%; margin-bottom: 1rem; }
.admin-table th, .admin-table td { text-align: left; padding: 0.25rem 0.5rem; border-bottom: 1px solid var(--border); }
.notice { border-radius: 0.375rem; padding: 0.75rem 1rem; margin-bottom: 1rem; border: 1px solid var(--border); }
.notice p { margin: 0.25rem 0; }
.notice-error { background: var(--error-bg); border-color: var(--error); }
.notice-success { background: var(--success-bg); }
.notice-info { background: var(--info-bg); }
.notice-error a { color: var(--text); }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.5rem 1rem; margin: 0 0 1rem; }
.report-chart { margin: 0 0 1rem; }
.report-chart svg { display: block; max-width: 100%; height: auto; color: var(--link, currentColor); }
dt { font-weight: 600; }
dd { margin: 0; overflow-wrap: anywhere; }
.actions { margin-top: 1.5rem; display: flex; flex-direction: column; gap: 0.5rem; }
.qr-code { display: block; background: #ffffff; padding: 0.5rem; border-radius: 0.375rem; margin: 0 0 1rem; }
.secret, .recovery-codes { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; overflow-wrap: anywhere; }
.secret { font-size: 1.0625rem; letter-spacing: 0.05em; }
.recovery-codes { font-size: 1.0625rem; line-height: 1.8; padding: 0.75rem 1rem; margin: 0 0 1rem; white-space: pre-wrap;
  background: var(--bg); border: 1px solid var(--border); border-radius: 0.375rem; }
.link-list { padding-left: 1.25rem; }
.captcha { min-height: 65px; }
.site-footer { padding: 1rem; text-align: center; font-size: 0.875rem; }
.site-footer p { margin: 0.25rem 0; }
@media (max-width: 30rem) { dl { grid-template-columns: 1fr; } .card { padding: 1rem; } }
`;
}
