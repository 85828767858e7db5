import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

test('serving the docs does not load swagger-ui’s browser bundle into the gateway', () => {
  // The compiled module (tsc -b runs before the tests), required by a bare Node process: Jest's own
  // module registry would not show what Node loads.
  const routes = join(__dirname, '../../dist/src/openapi/openapi.routes.js');
  const loaded = execFileSync(process.execPath, [
    '-e',
    `require(${JSON.stringify(routes)}); console.log(Object.keys(require.cache).filter((file) => file.includes('swagger-ui-dist')).join('\\n'))`,
  ]).toString();
  expect(loaded).toMatch(/absolute-path\.js/);
  expect(loaded).not.toMatch(/swagger-ui-bundle/);
});
