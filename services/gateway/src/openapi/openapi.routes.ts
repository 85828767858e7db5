import path from 'node:path';
import { Router, type Response } from 'express';
// The package's index also loads and runs swagger-ui's 1.4 MB browser bundle (about 45 MB of RSS): only the path is needed here.
import getAbsoluteFSPath from 'swagger-ui-dist/absolute-path.js';
import { openApiDocument } from '@solar/contracts';
import { DOCS_ASSETS, DOCS_CSP, DOCS_HTML, DOCS_INIT_SCRIPT } from './docs-page';

const withDocsPolicy = (res: Response) => res.set('content-security-policy', DOCS_CSP);

/** GET /openapi.json, built once from the operations registry, and the /docs page that renders it. */
export function openApiRoutes(): Router {
  const document = JSON.stringify(openApiDocument());
  const assetsDir = getAbsoluteFSPath();
  const assets = new Set(DOCS_ASSETS);
  const router = Router();
  router.get('/openapi.json', (_req, res) => {
    res.set('cache-control', 'no-cache').type('application/json').send(document);
  });
  router.get('/docs', (_req, res) => {
    withDocsPolicy(res).set('cache-control', 'no-cache').type('html').send(DOCS_HTML);
  });
  router.get('/docs/init.js', (_req, res) => {
    withDocsPolicy(res).set('cache-control', 'no-cache').type('text/javascript').send(DOCS_INIT_SCRIPT);
  });
  // Only the listed files: the package also holds a demo page that loads the Petstore spec.
  router.get('/docs/assets/:file', (req, res, next) => {
    if (!assets.has(req.params.file)) return next();
    withDocsPolicy(res).sendFile(path.join(assetsDir, req.params.file), { maxAge: '1d' }, (error) => error && next(error));
  });
  return router;
}
