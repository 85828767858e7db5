import type { RequestListener } from 'node:http';
import { z } from 'zod';
import type { Health } from '../http/health';
import { listen, type RunningServer } from '../http/http-server';
import type { Metrics } from './metrics';

export const DEFAULT_METRICS_PORT = 9464;

/** Where every service serves /metrics: a listener of its own, never the port its API (or the gateway's public API) answers on. */
export const metricsConfigShape = {
  /** Port of the Prometheus /metrics listener: 9464, or any free port when the service's own port is 0 (tests). */
  METRICS_PORT: z.coerce.number().int().min(0).max(65_535).optional(),
  /** Interface the /metrics listener binds to. */
  METRICS_HOST: z.string().default('0.0.0.0'),
};

/** METRICS_PORT as set, or 9464, or 0 beside a service that asked for any free port itself. */
export function metricsPortFor(config: { METRICS_PORT?: number | undefined }, servicePort: number): number {
  return config.METRICS_PORT ?? (servicePort === 0 ? 0 : DEFAULT_METRICS_PORT);
}

/**
 * GET /metrics in the Prometheus text format and, given the service's health, GET /readyz with every
 * check's detail and error (the public port answers status only); anything else is 404, so the
 * listener exposes nothing more.
 */
export function metricsListener(metrics: Metrics, health?: Health): RequestListener {
  return (req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path === '/readyz' && health && (req.method === 'GET' || req.method === 'HEAD')) {
      health.readiness().then(
        (readiness) => {
          const body = JSON.stringify({ status: readiness.ready ? 'ready' : 'not_ready', ...readiness });
          res
            .writeHead(readiness.ready ? 200 : 503, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
            .end(req.method === 'HEAD' ? undefined : body);
        },
        () => {
          res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('readiness failed\n');
        },
      );
      return;
    }
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
      return;
    }
    metrics.scrape().then(
      ({ contentType, body }) => {
        res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' }).end(req.method === 'HEAD' ? undefined : body);
      },
      () => {
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('metrics collection failed\n');
      },
    );
  };
}

export function serveMetrics(
  metrics: Metrics,
  config: { METRICS_PORT?: number | undefined; METRICS_HOST: string },
  servicePort: number,
  health?: Health,
): Promise<RunningServer> {
  return listen(metricsListener(metrics, health), metricsPortFor(config, servicePort), config.METRICS_HOST);
}
