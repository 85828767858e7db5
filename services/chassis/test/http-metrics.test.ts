import express from 'express';
import request from 'supertest';
import { AppError, Health, Metrics, createHttpApp, createLogger } from '../src';

/** The HTTP series of a real app: route templates whatever the path, error or not, and one label for every unmatched path. */
function appWithMetrics() {
  const metrics = new Metrics('probe');
  const app = createHttpApp({
    logger: createLogger({ service: 'probe', level: 'silent' }),
    health: new Health(),
    metrics,
    routes: (app) => {
      app.get('/users/:id', (_req, res) => {
        res.json({});
      });
      const webhooks = express.Router();
      webhooks.post('/:provider', () => {
        throw new AppError('validation_failed', 'refused');
      });
      app.use('/webhooks/email', webhooks);
    },
  });
  return { app, metrics };
}

async function countsByLabels(metrics: Metrics): Promise<string[]> {
  const { body } = await metrics.scrape();
  return body
    .split('\n')
    .filter((line) => line.startsWith('solar_http_request_duration_seconds_count'))
    .map((line) => line.replace(/^[^{]*/, ''));
}

describe('HTTP request metrics', () => {
  it('label a request by its route template, not its path', async () => {
    const { app, metrics } = appWithMetrics();
    await request(app).get('/users/6f1c0a2e9b').expect(200);
    await request(app).get('/users/42').expect(200);
    expect(await countsByLabels(metrics)).toEqual(['{service="probe",method="GET",route="/users/:id",status="200"} 2']);
  });

  it('keep the mount path of a router whose handler failed', async () => {
    const { app, metrics } = appWithMetrics();
    await request(app).post('/webhooks/email/mailgun').expect(400);
    expect(await countsByLabels(metrics)).toEqual(['{service="probe",method="POST",route="/webhooks/email/:provider",status="400"} 1']);
  });

  it('file every path no route matches, and unknown methods, under fixed labels', async () => {
    const { app, metrics } = appWithMetrics();
    await request(app).get('/wp-login.php').expect(404);
    await request(app).get('/.env').expect(404);
    await request(app).propfind('/users/1').expect(404);
    expect(await countsByLabels(metrics)).toEqual([
      '{service="probe",method="GET",route="unmatched",status="404"} 2',
      '{service="probe",method="OTHER",route="unmatched",status="404"} 1',
    ]);
  });
});
