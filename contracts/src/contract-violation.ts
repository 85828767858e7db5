export type ContractViolationCode = 'unknown_event_type' | 'invalid_headers' | 'invalid_json' | 'invalid_data';

export interface ContractIssue {
  /** Dotted path into the data or the header name, '' for the whole. */
  path: string;
  message: string;
}

/**
 * A message or event that breaks the contract. Consumers dead-letter such messages rather than
 * retry them: no retry can fix them. Messages never quote values, since a private event's values
 * may be secrets and the message ends up in DLQ headers and logs.
 */
export class ContractViolation extends Error {
  override readonly name = 'ContractViolation';

  constructor(
    readonly code: ContractViolationCode,
    message: string,
    readonly issues: readonly ContractIssue[] = [],
  ) {
    super(issues.length === 0 ? message : `${message}: ${issues.map(formatIssue).join('; ')}`);
  }
}

function formatIssue({ path, message }: ContractIssue): string {
  return path === '' ? message : `${path}: ${message}`;
}
