import mongoose, { type Connection } from 'mongoose';
import type { Health } from '../http/health';

// A filter on a field the schema does not know is a bug: mongoose would drop it and widen the query
// (a misspelled field in a delete would match everything), so it throws instead.
mongoose.set('strictQuery', 'throw');

/** Each service owns one database; it gets its own connection rather than mongoose's global one. */
export async function connectMongo(url: string, options: { dbName?: string; health?: Health } = {}): Promise<Connection> {
  const connection = mongoose.createConnection(url, {
    serverSelectionTimeoutMS: 5_000,
    ...(options.dbName ? { dbName: options.dbName } : {}),
  });
  await connection.asPromise();
  options.health?.register('mongo', async () => {
    await connection.db!.admin().command({ ping: 1 });
  });
  return connection;
}
