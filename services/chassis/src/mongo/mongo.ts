import mongoose, { type Connection } from 'mongoose';
import type { Health } from '../http/health';
import type { Metrics } from '../metrics/metrics';

// A filter on a field the schema does not know is a bug: mongoose would drop it and widen the query
// (a misspelled field in a delete would match everything), so it throws instead.
mongoose.set('strictQuery', 'throw');

/** Each service owns one database; it gets its own connection rather than mongoose's global one. */
export async function connectMongo(
  url: string,
  options: { dbName?: string; health?: Health; metrics?: Metrics } = {},
): Promise<Connection> {
  const connection = mongoose.createConnection(url, {
    serverSelectionTimeoutMS: 5_000,
    ...(options.dbName ? { dbName: options.dbName } : {}),
    ...(options.metrics ? { monitorCommands: true } : {}),
  });
  if (options.metrics) countCommands(connection, options.metrics);
  await connection.asPromise();
  options.health?.register('mongo', async () => {
    await connection.db!.admin().command({ ping: 1 });
  });
  return connection;
}

/**
 * Round trips to the database by command: the figure a login's cost around its hash is judged by
 * (docs/benchmarks.md), and a regression that adds a read to a hot path shows as a step here.
 */
function countCommands(connection: Connection, metrics: Metrics): void {
  const commands = metrics.counter({
    name: 'solar_mongo_commands_total',
    help: 'Commands sent to the database, by command name (find, insert, update, findAndModify, ...)',
    labelNames: ['command'],
  });
  connection.getClient().on('commandStarted', (event) => commands.inc({ command: event.commandName }));
}
