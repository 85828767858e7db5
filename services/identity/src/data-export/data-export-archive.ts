import { strToU8, zipSync } from 'fflate';
import { dataExportReadme, knownExportData, type DataExportFile } from '@solar/contracts';

/** The zip the owner downloads: `<service>.json` per participant and a README.md describing every field. */
export function buildArchive(input: { exportId: string; exportedAt: Date; parts: ReadonlyMap<string, object> }): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  const services = [...input.parts.keys()].sort();
  for (const service of services) {
    const file: DataExportFile = {
      service,
      exportId: input.exportId,
      exportedAt: input.exportedAt.toISOString(),
      data: input.parts.get(service) as Record<string, unknown>,
    };
    files[`${service}.json`] = strToU8(`${JSON.stringify(file, null, 2)}\n`);
  }
  files['README.md'] = strToU8(dataExportReadme(services));
  return zipSync(files, { level: 6 });
}

/**
 * Joins a participant's pieces in order; null unless they form one JSON object that, for a service
 * whose schema the archive publishes, matches it: the archive must validate against what it promises.
 */
export function joinPart(service: string, pieces: readonly string[]): object | null {
  let value: unknown;
  try {
    value = JSON.parse(pieces.join(''));
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const schema = Object.hasOwn(knownExportData, service) ? knownExportData[service as keyof typeof knownExportData] : undefined;
  return !schema || schema.safeParse(value).success ? value : null;
}

/** Participants whose every announced piece is in. */
export function completeParticipants(entry: { parts: Record<string, Record<string, string>>; chunks: Record<string, number> }): string[] {
  return Object.entries(entry.chunks)
    .filter(([service, chunks]) => Object.keys(entry.parts[service] ?? {}).length === chunks)
    .map(([service]) => service);
}

/** Where a piece is sealed for: its export, participant and position, so a piece moved elsewhere does not open. */
export const pieceContext = (exportId: string, service: string, chunk: number) =>
  `identity.data_exports/${exportId}/parts/${service}/${chunk}`;
export const archiveContext = (exportId: string) => `identity.data_exports/${exportId}/archive`;

/** Where the email sends the owner; the web page posts the token to the download route. */
export function downloadLinkOf(appUrl: string, token: string): string {
  const link = new URL('/data-export', appUrl);
  link.searchParams.set('token', token);
  return link.toString();
}
