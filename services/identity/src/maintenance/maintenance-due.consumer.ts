import { isEvent, type AnyCloudEvent } from '@solar/contracts';
import type { ConsumedContext, Logger } from '@solar/chassis';

/** One maintenance task: does its work in pages, calling `progress` between them; resolves what it counted. */
export type MaintenanceTask = (progress: () => Promise<void>) => Promise<Record<string, number>>;

/**
 * Thin: runs the task a MaintenanceDue names when identity owns it, and ignores the others (notification
 * owns prune-delivery-records; tasks added later reach v1 consumers as names to ignore).
 */
export function maintenanceDueHandler(tasks: Readonly<Record<string, MaintenanceTask>>, logger: Logger, shutdown: AbortSignal) {
  return async (event: AnyCloudEvent, context: ConsumedContext): Promise<void> => {
    if (!isEvent(event, 'MaintenanceDue') || !Object.hasOwn(tasks, event.data.task)) return;
    const started = performance.now();
    // Between steps the member tells its group it is alive (a task over many accounts outlasts a session
    // timeout), and a shutdown stops the task there: uncommitted, the event comes back and the task, safe
    // to repeat, runs again.
    const counts = await tasks[event.data.task]!(async () => {
      shutdown.throwIfAborted();
      await context.heartbeat();
    });
    logger.info(
      { eventId: event.id, task: event.data.task, ...counts, ms: Math.round(performance.now() - started) },
      'maintenance task done',
    );
  };
}
