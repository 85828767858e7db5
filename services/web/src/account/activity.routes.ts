import type { Express } from 'express';
import { AuditPage, PageQuery } from '@solar/contracts';
import { pageOf } from '../http/page-context';
import { html } from '../views/html';
import { activityList } from './account.page';
import { renderApiProblem, signedIn } from './signed-in';

const PAGE_SIZE = 20;
const ActivityQuery = PageQuery.pick({ cursor: true });

/** The whole security history, a page at a time, older pages through the API's cursor (a plain link, no script). */
export function activityRoutes(app: Express): void {
  app.get('/account/activity', async (req) => {
    const page = pageOf(req);
    const accessToken = await signedIn(page);
    if (!accessToken) return;
    const query = ActivityQuery.safeParse(req.query);
    if (!query.success) return page.redirect('/account/activity');
    const params = new URLSearchParams({ limit: String(PAGE_SIZE), ...(query.data.cursor ? { cursor: query.data.cursor } : {}) });
    const result = await page.api({ method: 'GET', path: `/users/me/audit-log?${params.toString()}`, accessToken }, AuditPage);
    if (!result.ok) {
      // A cursor the API no longer takes starts again from the newest.
      if (result.problem.code === 'validation_failed' && query.data.cursor) return page.redirect('/account/activity');
      return renderApiProblem(page, result.problem);
    }
    const { t } = page;
    const next = result.body.nextCursor;
    page.render({
      title: t('account.activityTitle'),
      body: html`<p>${t('account.activityIntro')}</p>
        ${activityList(page, result.body.items)}
        <p class="actions">
          ${next ? html`<a href=${`/account/activity?${new URLSearchParams({ cursor: next }).toString()}`}>${t('account.activityOlder')}</a>` : null}
          ${query.data.cursor ? html`<a href="/account/activity">${t('account.activityNewest')}</a>` : null}
          <a href="/account">${t('account.back')}</a>
        </p>`,
    });
  });
}
