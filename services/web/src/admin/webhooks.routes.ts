import type { Express } from 'express';
import { TestEventSent, WebhookDeliveryList, WebhookEndpoint, WebhookEndpointList, WebhookParams } from '@solar/contracts';
import { pageOf } from '../http/page-context';
import { adminToken, afterRefusal, problemParam, renderAdminProblem } from './admin-access';
import { problemSentence } from '../api/problem-messages';
import { renderWebhook, renderWebhooks } from './webhooks.page';

/** Notification's webhook endpoints, each with its delivery log and a test event to send. */
export function adminWebhookRoutes(app: Express): void {
  app.get('/admin/webhooks', async (req) => {
    const page = pageOf(req);
    const accessToken = await adminToken(page);
    if (!accessToken) return;
    const endpoints = await page.api({ method: 'GET', path: '/admin/webhooks', accessToken }, WebhookEndpointList);
    if (!endpoints.ok) return renderAdminProblem(page, endpoints.problem, '/admin/webhooks');
    renderWebhooks(page, endpoints.body);
  });

  app.get('/admin/webhooks/:id', async (req) => {
    const page = pageOf(req);
    const accessToken = await adminToken(page);
    if (!accessToken) return;
    const params = WebhookParams.safeParse(req.params);
    if (!params.success) return page.redirect('/admin/webhooks');
    const path = `/admin/webhooks/${encodeURIComponent(params.data.id)}`;
    const [endpoint, deliveries] = await Promise.all([
      page.api({ method: 'GET', path, accessToken }, WebhookEndpoint),
      page.api({ method: 'GET', path: `${path}/deliveries?limit=50`, accessToken }, WebhookDeliveryList),
    ]);
    if (!endpoint.ok) return renderAdminProblem(page, endpoint.problem, path);
    const problem = problemParam(req.query.problem);
    renderWebhook(page, {
      endpoint: endpoint.body,
      deliveries: deliveries.ok ? deliveries.body.items : null,
      info: req.query.done === 'test-sent' ? page.t('admin.webhookTestSent') : undefined,
      error: problem ? problemSentence(problem, page.t) : undefined,
    });
  });

  app.post('/admin/webhooks/:id/test', async (req) => {
    const page = pageOf(req);
    const accessToken = await adminToken(page);
    if (!accessToken) return;
    const params = WebhookParams.safeParse(req.params);
    if (!params.success) return page.redirect('/admin/webhooks');
    const path = `/admin/webhooks/${encodeURIComponent(params.data.id)}`;
    const result = await page.api({ method: 'POST', path: `${path}/test`, accessToken }, TestEventSent);
    if (result.ok) return page.redirect(`${path}?done=test-sent`);
    await afterRefusal(page, result.problem, path);
  });
}
