import { AppError } from './app-error';
import { PageQuery } from '@solar/contracts';
import { decodeCursor, encodeCursor, pageOf } from './cursor';

const position = { at: new Date('2026-03-01T10:00:00.123Z'), id: '4b1c2f5e-8d3a-4c8e-9a57-0f1e2d3c4b5a' };

describe('cursor', () => {
  it('round-trips a position through an opaque base64url string', () => {
    const cursor = encodeCursor(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual(position);
  });

  it.each([
    ['garbage', 'not a cursor!'],
    ['base64 that is not JSON', Buffer.from('hello').toString('base64url')],
    ['JSON of the wrong shape', Buffer.from(JSON.stringify({ t: 'soon', i: 1 })).toString('base64url')],
    ['extra fields', Buffer.from(JSON.stringify({ t: 1, i: 'x', $where: 'sleep(1000)' })).toString('base64url')],
    ['an operator smuggled in as the id', Buffer.from(JSON.stringify({ t: 1, i: { $gt: '' } })).toString('base64url')],
    ['a time out of range', Buffer.from(JSON.stringify({ t: 1e20, i: 'x' })).toString('base64url')],
    ['an oversize string', 'A'.repeat(10_000)],
  ])('refuses %s as validation_failed', (_label, cursor) => {
    const error = (() => {
      try {
        decodeCursor(cursor);
      } catch (caught) {
        return caught;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'validation_failed', status: 400 });
  });

  it('gives a next cursor only when a row beyond the limit exists', () => {
    const rows = [3, 2, 1].map((n) => ({ at: new Date(n * 1000), id: `id-${n}` }));
    const first = pageOf(rows, 2, (row) => row);
    expect(first.items).toHaveLength(2);
    expect(decodeCursor(first.nextCursor!)).toEqual(rows[1]);
    expect(pageOf(rows, 3, (row) => row).nextCursor).toBeNull();
  });

  it('defaults the limit to 20 and keeps it within 1 to 100', () => {
    expect(PageQuery.parse({})).toEqual({ limit: 20 });
    expect(PageQuery.parse({ limit: '100' }).limit).toBe(100);
    for (const limit of ['0', '101', '1.5', 'ten', ['1', '2']]) expect(PageQuery.safeParse({ limit }).success).toBe(false);
  });
});
