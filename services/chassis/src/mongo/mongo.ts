import mongoose, { type Connection } from 'mongoose';
import type { Health } from '../http/health';

// Fields a schema does not know are dropped from filters instead of matching nothing silently.
mongoose.set('strictQuery', true);

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
