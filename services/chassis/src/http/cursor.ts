import { MAX_CURSOR_LENGTH } from '@solar/contracts';
import { AppError } from './app-error';
import { z } from 'zod';

/** Where a page ends in a newest-first listing: the sort key, with the id breaking ties between equal times. */
export interface CursorPosition {
  at: Date;
  id: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;
const Payload = z.object({ t: z.number().int().min(0).max(8.64e15), i: z.string().min(1).max(128) }).strict();

/** Opaque to clients so the sort key can change without breaking them; only its shape is checked on the way back. */
export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify({ t: position.at.getTime(), i: position.id }), 'utf8').toString('base64url');
}

/** Anything we did not issue is the client's mistake (400), never a failed query (500). */
export function decodeCursor(cursor: string): CursorPosition {
  const refuse = () =>
    new AppError('validation_failed', 'The cursor is not one this API issued', { errors: [{ path: 'cursor', message: 'is not valid' }] });
  if (cursor.length > MAX_CURSOR_LENGTH || !BASE64URL.test(cursor)) throw refuse();
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw refuse();
  }
  const parsed = Payload.safeParse(json);
  if (!parsed.success) throw refuse();
  return { at: new Date(parsed.data.t), id: parsed.data.i };
}

/**
 * Rows come fetched with one more than the limit: that extra row only says whether another page
 * exists, so the last page never ends with a cursor that leads to an empty one.
 */
export function pageOf<T>(rows: T[], limit: number, positionOf: (row: T) => CursorPosition): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(positionOf(last)) : null };
}
