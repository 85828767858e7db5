import { z } from 'zod';
import { PROBLEM_STATUS, type ProblemCode } from './operation';

/** RFC 9457 problem details with our stable `code`; extensions (`errors`, `retryAfterSeconds`) may follow. */
export const Problem = z
  .looseObject({
    type: z.string(),
    title: z.string(),
    status: z.number().int().min(400).max(599),
    detail: z.string(),
    code: z.enum(Object.keys(PROBLEM_STATUS) as [ProblemCode, ...ProblemCode[]]),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    retryAfterSeconds: z.number().optional(),
  })
  .meta({ description: 'RFC 9457 problem details; `code` is stable, `detail` is for people.' });
export type Problem = z.infer<typeof Problem>;

/** A sentence for the user, where the status says the rest. */
export const Message = z.object({ message: z.string() });
export type Message = z.infer<typeof Message>;

/** What Date#toISOString writes: UTC, so clients compare timestamps as plain strings. */
export const IsoTime = z.iso.datetime();

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
/** A cursor we issue is well under this; the cap keeps garbage from costing a decode. */
export const MAX_CURSOR_LENGTH = 256;

/** `cursor` and `limit` from a query string; repeated or non-numeric values fail validation like any other field. */
export const PageQuery = z.object({
  cursor: z.string().min(1).max(MAX_CURSOR_LENGTH).optional().describe('`nextCursor` of the previous page.'),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
});

/** A newest-first page; `nextCursor` is null on the last one. */
export const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });
