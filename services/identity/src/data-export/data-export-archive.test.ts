import { joinPart } from './data-export-archive';

describe('joinPart', () => {
  it('joins the pieces of a participant’s JSON object in order', () => {
    expect(joinPart('test-consumer', ['{"colour":', '"teal"}'])).toEqual({ colour: 'teal' });
  });

  it.each([
    ['text that is not JSON', 'test-consumer', ['{"colour": "teal"']],
    ['JSON that is not an object', 'test-consumer', ['[1, 2]']],
    ['null', 'test-consumer', ['null']],
    ['a known service’s part outside its published schema', 'lifecycle', ['{"deletionRequests": "none"}']],
    ['a known service’s part with a field the schema does not publish', 'notification', ['{"emails": [], "suppressed": false, "x": 1}']],
  ])('refuses %s', (_label, service, pieces) => {
    expect(joinPart(service, pieces)).toBeNull();
  });

  it('accepts a known service’s part that matches its schema', () => {
    expect(joinPart('notification', ['{"emails": [], "suppressed": false}'])).toEqual({ emails: [], suppressed: false });
  });
});
