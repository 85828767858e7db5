import { readFileSync } from 'node:fs';
import { TestStack } from '../test/support/stack';
const rss = (pid?: number) => /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1];
(async () => {
  const stack = new TestStack('rss-probe', { processes: true, execArgv: () => (process.env.XARGS ? process.env.XARGS.split(' ') : []) });
  await stack.startIdentity();
  await stack.startNotification();
  await stack.startGateway();
  await new Promise((r) => setTimeout(r, 3000));
  for (const n of ['identity', 'notification', 'gateway']) console.log(n, rss(stack.process(n).pid), 'kB');
  await stack.stop();
  process.exit(0);
})();
