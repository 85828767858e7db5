/**
 * The pages' only script, and an enhancement: every page works without it. It keeps a form from being
 * sent twice by a double click (an emailed link's token or a code would be spent by the first), and
 * moves focus to the error summary so a screen reader starts there.
 */
export const SITE_JS = `(() => {
  'use strict';
  const summary = document.getElementById('error-summary');
  if (summary) summary.focus();
  for (const form of document.querySelectorAll('form[method="post"]')) {
    form.addEventListener('submit', (event) => {
      if (form.dataset.sent === 'true') {
        event.preventDefault();
        return;
      }
      form.dataset.sent = 'true';
      for (const button of form.querySelectorAll('button[type="submit"]')) button.setAttribute('aria-disabled', 'true');
    });
  }
})();
`;
