import { readFileSync } from 'node:fs';
import { budgetFigures, countersByLabels, cpuMsOf } from './cpu-budget';

test('reads utime and stime after a command name that holds spaces and a parenthesis', () => {
  // Fields 14 and 15 of proc(5): 250 and 50 ticks.
  const stat = '4242 (node (my svc)) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 11 0 100 1000 50';
  expect(cpuMsOf(stat)).toBe(((250 + 50) * 1000) / 100);
});

test("this process's own CPU time grows while it computes", () => {
  const before = cpuMsOf(readFileSync('/proc/self/stat', 'utf8'));
  const until = process.cpuUsage().user + 50_000;
  while (process.cpuUsage().user < until);
  expect(cpuMsOf(readFileSync('/proc/self/stat', 'utf8'))).toBeGreaterThan(before);
});

test('sums a counter by its labels and ignores other series', () => {
  const exposition = [
    '# HELP solar_mongo_commands_total Commands',
    'solar_mongo_commands_total{command="find",service="identity"} 12',
    'solar_mongo_commands_total{command="insert",service="identity"} 3',
    'solar_mongo_commands_total{service="gateway",command="find"} 2',
    'solar_mongo_commands_totals{command="find"} 99',
    'solar_outbox_published_total{collection="outbox"} 7',
  ].join('\n');
  expect(countersByLabels(exposition, 'solar_mongo_commands_total', ['command'])).toEqual({ find: 14, insert: 3 });
  expect(countersByLabels(exposition, 'solar_mongo_commands_total', ['service', 'command'])).toEqual({
    'identity find': 12,
    'identity insert': 3,
    'gateway find': 2,
  });
});

test('a refresh budget charges each process, command and message to the refreshes, with no hash', () => {
  const before = { cpuMs: { identity: 1_000, gateway: 500 }, commands: { 'identity find': 10 }, messages: 7 };
  const after = {
    cpuMs: { identity: 1_400, gateway: 600 },
    commands: { 'identity find': 210, 'identity findAndModify': 200 },
    messages: 7,
  };
  const figures = budgetFigures('refresh', before, after, 200);
  expect(figures.map(({ name, value, unit }) => [name, value, unit])).toEqual([
    ['refresh: CPU of identity', 2, 'ms/refresh'],
    ['refresh: CPU of gateway', 0.5, 'ms/refresh'],
    ['refresh: CPU of every process', 2.5, 'ms/refresh'],
    ['refresh: database commands', 2, '/refresh'],
    ['refresh: Kafka messages', 0, '/refresh'],
  ]);
  expect(figures[2]!.detail).toEqual({ hashMs: 0, aroundTheHashMs: 2.5, completed: 200 });
  expect(figures[3]!.detail).toEqual({ byServiceAndCommand: { 'identity find': 1, 'identity findAndModify': 1 } });
});

test('a budget over no completed request is NaN, not zero', () => {
  const reading = { cpuMs: { identity: 1_000 }, commands: { 'identity find': 5 }, messages: 0 };
  const figures = budgetFigures('refresh', reading, { ...reading, cpuMs: { identity: 1_300 } }, 0);
  expect(figures.map((figure) => figure.value)).toEqual([Number.NaN, Number.NaN, Number.NaN, Number.NaN]);
});
