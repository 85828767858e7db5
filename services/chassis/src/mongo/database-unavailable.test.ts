import mongoose from 'mongoose';
import { isDatabaseUnavailable } from './database-unavailable';

const { MongoNetworkError, MongoNetworkTimeoutError, MongoServerError, MongoServerSelectionError, MongoTopologyClosedError } =
  mongoose.mongo;

// The driver builds the topology description it carries from live monitoring; none exists here, and the check never reads it.
const noTopology = {} as ConstructorParameters<typeof MongoServerSelectionError>[1];

describe('isDatabaseUnavailable', () => {
  it.each([
    ['a server selection timeout', new MongoServerSelectionError('connect ECONNREFUSED 127.0.0.1:27017', noTopology)],
    ['a refused or dropped connection', new MongoNetworkError('connection closed')],
    ['a socket timeout (a subclass)', new MongoNetworkTimeoutError('timed out')],
    ['a closed topology', new MongoTopologyClosedError()],
    ["mongoose's first connection failing", new mongoose.Error.MongooseServerSelectionError('connect ECONNREFUSED')],
    ["mongoose's buffering giving up", new mongoose.Error('Operation `users.findOne()` buffering timed out after 10000ms')],
  ])('is true for %s', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a duplicate key (the request, not the server)', new MongoServerError({ message: 'E11000 duplicate key', code: 11000 })],
    ['a validation error', new mongoose.Error.ValidationError()],
    ['any other mongoose error', new mongoose.Error('something else')],
    ['a plain error', new Error('boom')],
    ['a thrown string', 'MongoNetworkError'],
  ])('is false for %s', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
