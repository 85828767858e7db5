import type { EventData } from '@solar/contracts';
import type { Logger, Sealer } from '@solar/chassis';
import { issueOneTimeToken } from '../tokens/one-time-token';
import type { UserRepository } from '../users/user.repository';
import { archiveContext, buildArchive, completeParticipants, downloadLinkOf, joinPart, pieceContext } from './data-export-archive';
import { dataExportCompletedEvents, dataExportFailedEvent } from './data-export-events';
import type { DataExport, DataExportRepository } from './data-export.repository';

/** The link and the archive behind it live a day: long enough to download, short enough to keep little. */
const LINK_TTL_MS = 24 * 60 * 60 * 1000;

export interface ReceivePartDeps {
  exports: Pick<DataExportRepository, 'savePiece' | 'complete' | 'fail'>;
  users: Pick<UserRepository, 'findById'>;
  sealer: Sealer;
  clock: () => Date;
  appUrl: string;
  logger: Logger;
}

/**
 * Stores one piece of a participant's part, sealed; when every participant's part is in, builds the
 * archive, seals it and emails its owner a single-use link, in one write with DataExportCompleted.
 * Pieces from a service that is not a participant, or for an export no longer waiting, are dropped.
 * A part that is not JSON, or not what its published schema says, fails the export at once naming its
 * participant: waiting for the deadline would not mend it.
 */
export function receivePart(deps: ReceivePartDeps) {
  return async (piece: EventData<'DataExportPartReady'>): Promise<'stored' | 'completed' | 'failed' | 'ignored'> => {
    const sealed = deps.sealer.seal(piece.part, pieceContext(piece.exportId, piece.service, piece.chunk));
    const entry = await deps.exports.savePiece(piece.exportId, { ...piece, sealed });
    if (!entry || !entry.participants.includes(piece.service)) return 'ignored';
    const complete = completeParticipants(entry);
    if (!entry.participants.every((service) => complete.includes(service))) return 'stored';
    return assemble(deps, entry);
  };
}

async function assemble(deps: ReceivePartDeps, entry: DataExport): Promise<'completed' | 'failed' | 'ignored'> {
  const parts = new Map<string, object>();
  const invalid: string[] = [];
  for (const service of entry.participants) {
    const pieces = Object.entries(entry.parts[service] ?? {})
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([chunk, sealed]) => deps.sealer.open(sealed, pieceContext(entry.id, service, Number(chunk))));
    const data = joinPart(service, pieces);
    if (data) parts.set(service, data);
    else invalid.push(service);
  }
  if (invalid.length > 0) {
    deps.logger.warn({ exportId: entry.id, services: invalid }, 'data export parts are not valid; the export fails');
    const now = deps.clock();
    return (await deps.exports.fail(entry.id, now, [dataExportFailedEvent(entry, invalid, now)])) ? 'failed' : 'ignored';
  }
  const user = await deps.users.findById(entry.userId);
  if (!user) return 'ignored';
  const now = deps.clock();
  const zip = buildArchive({ exportId: entry.id, exportedAt: now, parts });
  const archive = deps.sealer.seal(Buffer.from(zip).toString('base64'), archiveContext(entry.id));
  const token = issueOneTimeToken(now, LINK_TTL_MS);
  const events = dataExportCompletedEvents(
    user,
    entry.id,
    entry.participants,
    { url: downloadLinkOf(deps.appUrl, token.value), expiresAt: token.expiresAt },
    now,
  );
  const done = await deps.exports.complete(entry.id, archive, { hash: token.hash, expiresAt: token.expiresAt, usedAt: null }, now, events);
  return done ? 'completed' : 'ignored';
}
