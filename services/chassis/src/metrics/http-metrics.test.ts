import { methodLabel, routeTemplate } from './http-metrics';
import { Metrics } from './metrics';
import { metricsPortFor } from './metrics-server';

describe('route labels', () => {
  it('are the template Express matched, under its router mount path', () => {
    expect(routeTemplate({ baseUrl: '', route: { path: '/users/me/sessions/:id' } })).toBe('/users/me/sessions/:id');
    expect(routeTemplate({ baseUrl: '/webhooks/email', route: { path: '/:provider' } })).toBe('/webhooks/email/:provider');
    expect(routeTemplate({ baseUrl: '/webhooks/email', route: { path: '/' } })).toBe('/webhooks/email');
    expect(routeTemplate({ baseUrl: '', route: { path: '/' } })).toBe('/');
  });

  it('are absent when no route matched, so the caller files the request under one fixed label', () => {
    expect(routeTemplate({ baseUrl: '' })).toBeUndefined();
    expect(routeTemplate({ baseUrl: '', route: { path: /^\/regex$/ } })).toBeUndefined();
  });

  it('bound the method to the known ones', () => {
    expect(methodLabel('GET')).toBe('GET');
    expect(methodLabel('PROPFIND')).toBe('OTHER');
    expect(methodLabel('get')).toBe('OTHER');
  });
});

describe('Metrics', () => {
  it('keeps one registry per instance, each series labelled with its service', async () => {
    const identity = new Metrics('identity');
    const gateway = new Metrics('gateway');
    identity.counter({ name: 'solar_test_total', help: 'test' }).inc();
    const { body } = await identity.scrape();
    expect(body).toContain('solar_test_total{service="identity"} 1');
    expect((await gateway.scrape()).body).not.toContain('solar_test_total');
  });

  it('shares a series between the components that define it, and refuses one name for two types', () => {
    const metrics = new Metrics('notification');
    const first = metrics.counter({ name: 'solar_shared_total', help: 'shared', labelNames: ['topic'] });
    expect(metrics.counter({ name: 'solar_shared_total', help: 'shared', labelNames: ['topic'] })).toBe(first);
    expect(() => metrics.gauge({ name: 'solar_shared_total', help: 'shared' })).toThrow(/another type/);
  });
});

describe('metricsPortFor', () => {
  it('is METRICS_PORT when set, 9464 otherwise, and any free port beside a service on port 0', () => {
    expect(metricsPortFor({ METRICS_PORT: 9100 }, 3001)).toBe(9100);
    expect(metricsPortFor({ METRICS_PORT: 9100 }, 0)).toBe(9100);
    expect(metricsPortFor({}, 3001)).toBe(9464);
    expect(metricsPortFor({}, 0)).toBe(0);
  });
});
