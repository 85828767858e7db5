import { ConfigError, loadConfig } from '../config/config';
import { TelemetryConfig } from './telemetry-config';

describe('TelemetryConfig', () => {
  it('exports nothing and reports nothing by default', () => {
    const config = loadConfig(TelemetryConfig, {});
    expect(config.OTEL_EXPORTER_OTLP_ENDPOINT ?? config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? config.SENTRY_DSN).toBeUndefined();
    expect(config).toMatchObject({ OTEL_TRACES_SAMPLER: 'parentbased_always_on', OTEL_SDK_DISABLED: 'false' });
  });

  it('reads empty variables (a copied .env.example, a compose default) as unset', () => {
    const empty = Object.fromEntries(Object.keys(TelemetryConfig.shape).map((name) => [name, '']));
    expect(loadConfig(TelemetryConfig, { ...empty, NODE_ENV: 'test' })).toMatchObject({
      SENTRY_DSN: undefined,
      OTEL_TRACES_SAMPLER: 'parentbased_always_on',
    });
  });

  it('names the variable when a value is wrong', () => {
    expect(() =>
      loadConfig(TelemetryConfig, { OTEL_TRACES_SAMPLER: 'sometimes', SENTRY_DSN: 'not a url', OTEL_TRACES_SAMPLER_ARG: '2' }),
    ).toThrow(ConfigError);
    try {
      loadConfig(TelemetryConfig, { OTEL_TRACES_SAMPLER: 'sometimes', SENTRY_DSN: 'not a url', OTEL_TRACES_SAMPLER_ARG: '2' });
    } catch (error) {
      const text = (error as ConfigError).problems.join('\n');
      for (const name of ['OTEL_TRACES_SAMPLER', 'SENTRY_DSN', 'OTEL_TRACES_SAMPLER_ARG']) expect(text).toContain(name);
    }
  });
});
