import type { ErrorRequestHandler, Express, RequestHandler } from 'express';
import type { Logger } from '@solar/chassis';
import { pageOf } from './page-context';
import { html } from '../views/html';

/** After every page: a 404 page for unknown paths, and a page instead of a stack trace for an error. */
export function fallbackRoutes(logger: Logger): (app: Express) => void {
  const notFound: RequestHandler = (req) => {
    const page = pageOf(req);
    page.render({
      status: 404,
      title: page.t('notFound.title'),
      body: html`<p>${page.t('notFound.body')}</p>
        <p><a href="/">${page.t('nav.home')}</a></p>`,
    });
  };
  const failed: ErrorRequestHandler = (error, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    logger.error({ err: error, path: req.path }, 'page failed');
    const page = pageOf(req);
    page.render({ status: 500, title: page.t('error.title'), body: html`<p>${page.t('error.body')}</p>` });
  };
  return (app) => {
    app.use(notFound);
    app.use(failed);
  };
}
