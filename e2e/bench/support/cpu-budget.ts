/**
 * Where a request's CPU goes, by process: the CPU time each process spent (all its threads, from
 * `/proc/<pid>/stat`), the database commands the services sent (their `solar_mongo_commands_total`)
 * and the Kafka messages written (every topic's end offsets), read before and after a load and divided
 * by the requests it completed. The hash's share is the argon2id bound's; the rest is overhead to cut.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { Kafka, logLevel } from 'kafkajs';
import type { Figure } from './report';

/** The processes measured: name → pid. */
export type Processes = Record<string, number>;

export interface BudgetSources {
  processes: () => Processes;
  /** Each service's /metrics, where its database commands are counted. */
  metricsUrls: string[];
  kafkaBrokers: string;
  /** The topics the load writes to (the stack's own: a shared broker holds many more). */
  topics: string[];
}

const ticksPerSecond = (() => {
  const value = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
  return Number.isFinite(value) && value > 0 ? value : 100;
})();

/** utime + stime of every thread, in milliseconds. The command name may hold spaces: fields follow its `)`. */
export function cpuMsOf(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of proc(5), counted from 3 (state) after the name.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
}

/** The pids of the test profile's servers that scripts/infra.sh started (.local/test/pids). */
export function infraProcesses(pidDirectory: string): Processes {
  const found: Processes = {};
  for (const server of ['kafka', 'mongo', 'redis']) {
    const file = `${pidDirectory}/${server}.pid`;
    if (existsSync(file)) found[server === 'mongo' ? 'mongo-wire server' : server] = Number(readFileSync(file, 'utf8').trim());
  }
  return found;
}

/** Sums a counter's samples from a Prometheus exposition, by the values of some labels (joined by a space). */
export function countersByLabels(exposition: string, metric: string, labels: string[]): Record<string, number> {
  const sums: Record<string, number> = {};
  const sample = new RegExp(`^${metric}\\{([^}]*)\\} (\\S+)$`);
  for (const line of exposition.split('\n')) {
    const match = sample.exec(line);
    if (!match) continue;
    const key = labels.map((label) => new RegExp(`${label}="([^"]*)"`).exec(match[1]!)?.[1] ?? '').join(' ');
    sums[key] = (sums[key] ?? 0) + Number(match[2]);
  }
  return sums;
}

const cpuMsNow = (processes: Processes) =>
  Object.fromEntries(Object.entries(processes).map(([name, pid]) => [name, cpuMsOf(readFileSync(`/proc/${pid}/stat`, 'utf8'))]));

async function commandsNow(metricsUrls: string[]): Promise<Record<string, number>> {
  const commands: Record<string, number> = {};
  for (const url of metricsUrls) {
    const exposition = await (await fetch(url)).text();
    for (const [command, count] of Object.entries(countersByLabels(exposition, 'solar_mongo_commands_total', ['service', 'command']))) {
      commands[command] = (commands[command] ?? 0) + count;
    }
  }
  return commands;
}

/**
 * Waits until no process is still busy with earlier work (the pool's verification emails, topic
 * creation), so the load is charged only for what it caused: at most 10% of a core each, over 1 s.
 */
async function settle(processes: Processes, maxMs = 60_000): Promise<void> {
  const until = Date.now() + maxMs;
  while (Date.now() < until) {
    const before = cpuMsNow(processes);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const after = cpuMsNow(processes);
    if (Object.entries(after).every(([name, ms]) => ms - (before[name] ?? 0) <= 100)) return;
  }
}

/** Messages on the topics, as the sum of their partitions' end offsets. */
async function kafkaMessages(brokers: string, topics: string[]): Promise<number> {
  const admin = new Kafka({ brokers: brokers.split(','), clientId: 'bench-cpu-budget', logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    let total = 0;
    for (const topic of topics.filter((name) => existing.has(name))) {
      for (const partition of await admin.fetchTopicOffsets(topic)) total += Number(partition.high) - Number(partition.low);
    }
    return total;
  } finally {
    await admin.disconnect();
  }
}

/** What the budget reads before and after a load: each process's CPU ms, the commands by service and command, the messages. */
export interface Reading {
  cpuMs: Record<string, number>;
  commands: Record<string, number>;
  messages: number;
}

/**
 * Runs `load` between two readings and returns one figure per process (CPU ms per request), the
 * database commands and Kafka messages per request, and their sum beside `hashMs`, the hash's own CPU.
 */
export async function cpuBudget(
  label: string,
  sources: BudgetSources,
  load: () => Promise<{ completed: number }>,
  hashMs?: number,
): Promise<Figure[]> {
  const processes = sources.processes();
  await settle(processes);
  // The counts are read outside the CPU readings, so their own cost is not charged to the load.
  const messages = await kafkaMessages(sources.kafkaBrokers, sources.topics);
  const commands = await commandsNow(sources.metricsUrls);
  const before: Reading = { messages, commands, cpuMs: cpuMsNow(processes) };
  const { completed } = await load();
  const cpuMs = cpuMsNow(processes);
  const after: Reading = {
    cpuMs,
    commands: await commandsNow(sources.metricsUrls),
    messages: await kafkaMessages(sources.kafkaBrokers, sources.topics),
  };
  return budgetFigures(label, before, after, completed, hashMs);
}

/**
 * The figures of a budget from its two readings and the requests completed between them. A request
 * that verifies no password (a token refresh) has no `hashMs`: all of its CPU is around the hash.
 */
export function budgetFigures(label: string, before: Reading, after: Reading, completed: number, hashMs = 0): Figure[] {
  const per = (value: number) => (completed > 0 ? value / completed : Number.NaN);
  const cpu = Object.entries(after.cpuMs).map(([name, ms]): Figure => {
    return { name: `${label}: CPU of ${name}`, value: per(ms - (before.cpuMs[name] ?? ms)), unit: `ms/${label}` };
  });
  const total = cpu.reduce((sum, figure) => sum + figure.value, 0);
  const commands = Object.fromEntries(
    Object.entries(after.commands).map(([command, count]) => [command, per(count - (before.commands[command] ?? 0))]),
  );
  return [
    ...cpu,
    {
      name: `${label}: CPU of every process`,
      value: total,
      unit: `ms/${label}`,
      detail: { hashMs, aroundTheHashMs: total - hashMs, completed },
    },
    {
      name: `${label}: database commands`,
      value: Object.values(commands).reduce((sum, count) => sum + count, 0),
      unit: `/${label}`,
      detail: { byServiceAndCommand: commands },
    },
    { name: `${label}: Kafka messages`, value: per(after.messages - before.messages), unit: `/${label}` },
  ];
}
