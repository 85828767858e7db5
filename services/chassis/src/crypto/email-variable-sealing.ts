import { isEvent, SEALED_EMAIL_VARIABLES, sealedEmailVariableContext, type AnyCloudEvent, type EventData } from '@solar/contracts';
import type { Sealer } from './sealer';

/**
 * A request whose links arrived in clear or do not open: notification ends it as EmailFailed
 * rendering_failed. Messages name the variable, never its value (it may hold a token).
 */
export class EmailVariableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmailVariableError';
  }
}

type EmailRequested = EventData<'EmailRequested'>;

const isSealedName = (name: string) => (SEALED_EMAIL_VARIABLES as readonly string[]).includes(name);

/**
 * Identity's half, for the outbox: moves every link variable of an EmailRequested into
 * `sealedVariables`, sealed with EMAIL_LINK_KEYS and bound to the request's template, recipient and
 * variable, so only notification can read it off the topic. Other events pass unchanged.
 */
export function sealEmailRequest(sealer: Sealer): (event: AnyCloudEvent) => AnyCloudEvent {
  return (event) => {
    if (!isEvent(event, 'EmailRequested')) return event;
    const { template, to } = event.data;
    const variables: Record<string, string> = {};
    const sealedVariables: Record<string, string> = { ...event.data.sealedVariables };
    for (const [name, value] of Object.entries(event.data.variables)) {
      if (isSealedName(name)) sealedVariables[name] = sealer.seal(value, sealedEmailVariableContext(template, to, name));
      else variables[name] = value;
    }
    return { ...event, data: { ...event.data, variables, sealedVariables } };
  };
}

/**
 * Notification's half: the request's variables with the sealed ones opened, for rendering. Throws
 * EmailVariableError for a link in clear (written by someone without the key, or an event from
 * before sealing) and for a sealed value that does not open (another key, altered, or copied from a
 * request to another recipient, template or variable).
 */
export function openEmailVariables(sealer: Sealer, data: EmailRequested): Record<string, string> {
  const opened: Record<string, string> = { ...data.variables };
  for (const name of Object.keys(data.variables)) {
    if (isSealedName(name)) {
      throw new EmailVariableError(`${data.template}: variable "${name}" arrived in clear; links must be sealed with EMAIL_LINK_KEYS`);
    }
  }
  for (const [name, sealed] of Object.entries(data.sealedVariables)) {
    if (Object.hasOwn(data.variables, name)) {
      throw new EmailVariableError(`${data.template}: variable "${name}" is both sealed and in clear`);
    }
    try {
      opened[name] = sealer.open(sealed, sealedEmailVariableContext(data.template, data.to, name));
    } catch {
      throw new EmailVariableError(
        `${data.template}: sealed variable "${name}" does not open (another key, altered, or sealed for another request)`,
      );
    }
  }
  return opened;
}
