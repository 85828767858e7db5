import { problemOf } from './problem';

describe('problemOf', () => {
  it('keeps the standard members when an extension has the same name', () => {
    const problem = problemOf('conflict', 'already decided', { status: 'approved', code: 'other', entryStatus: 'approved' });
    expect(problem).toMatchObject({ status: 409, code: 'conflict', entryStatus: 'approved' });
  });
});
