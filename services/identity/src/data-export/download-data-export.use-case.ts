import { AppError, type Sealer } from '@solar/chassis';
import type { AuditLog } from '../audit/audit-log';
import type { RequestContext } from '../http/request-context';
import { hashToken, TOKEN_PATTERN } from '../tokens/one-time-token';
import { archiveContext } from './data-export-archive';
import type { DataExportRepository } from './data-export.repository';

/** Spends the emailed link: the first download gets the archive, which is deleted in the same write. */
export function downloadDataExport(deps: {
  exports: Pick<DataExportRepository, 'spendLink' | 'findByLink'>;
  audit: Pick<AuditLog, 'record'>;
  sealer: Sealer;
  clock: () => Date;
}) {
  return async (input: { token: string; context: RequestContext }): Promise<{ zip: Buffer; exportId: string }> => {
    if (!TOKEN_PATTERN.test(input.token)) throw new AppError('token_invalid', 'The link is not valid');
    const hash = hashToken(input.token);
    const now = deps.clock();
    const spent = await deps.exports.spendLink(hash, now);
    if (!spent?.archive) throw await whyRefused(deps, hash, now);
    const zip = Buffer.from(deps.sealer.open(spent.archive, archiveContext(spent.id)), 'base64');
    await deps.audit.record({
      userId: spent.userId,
      action: 'data_export_downloaded',
      outcome: 'success',
      context: input.context,
      details: { exportId: spent.id },
    });
    return { zip, exportId: spent.id };
  };
}

async function whyRefused(deps: { exports: Pick<DataExportRepository, 'findByLink'> }, hash: string, now: Date): Promise<AppError> {
  const entry = await deps.exports.findByLink(hash);
  if (!entry?.link) return new AppError('token_invalid', 'The link is not valid');
  if (entry.link.usedAt) return new AppError('token_used', 'The archive was already downloaded; ask for a new export tomorrow');
  if (entry.link.expiresAt <= now || entry.status === 'expired') return new AppError('token_expired', 'The link has expired');
  return new AppError('token_invalid', 'The link is not valid');
}
