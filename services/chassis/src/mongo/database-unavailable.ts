/**
 * The driver's errors for a database that cannot be reached (server selection timing out, a
 * connection refused or dropped, a pool cleared by that), by class name along the prototype chain:
 * a service with its own copy of the driver throws classes an `instanceof` here would not know.
 */
const UNREACHABLE = new Set([
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNetworkError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
]);

/** True for a failure of the database server rather than of the request: an outage (503), not our bug (500). */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  // mongoose holds operations while disconnected and gives up after bufferTimeoutMS with a plain MongooseError.
  if (error.name === 'MongooseError' && /buffering timed out/.test(error.message)) return true;
  for (
    let proto = Object.getPrototypeOf(error) as object | null;
    proto && proto !== Error.prototype;
    proto = Object.getPrototypeOf(proto) as object | null
  ) {
    if (UNREACHABLE.has((proto as { constructor: { name: string } }).constructor.name)) return true;
  }
  return false;
}
