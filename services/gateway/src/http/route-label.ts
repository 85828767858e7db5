import { httpOperations, templatePattern } from '@solar/contracts';

/**
 * The public route a request to the gateway belongs to, as the API document spells it
 * (`/v1/users/me/sessions/{id}`), for the metrics of proxied requests, which no Express route
 * matches. Matched like Express matches (any case, a trailing slash); undefined for paths outside the API.
 */
export function publicRouteOf(templates: readonly string[] = httpOperations.map((operation) => operation.path)) {
  const patterns = [...new Set(templates)].map((template) => ({
    label: `/v1${template}`,
    pattern: templatePattern(template, '/v1'),
  }));
  return (path: string): string | undefined => patterns.find(({ pattern }) => pattern.test(path))?.label;
}
