import { AUDIT_ACTIONS, isPublicTopic, registry, type EventType } from '@solar/contracts';
import { AUDIT_PUBLICATIONS } from './audit-publications';

const entries: [string, unknown][] = Object.entries(AUDIT_PUBLICATIONS);
const published = entries.filter((entry): entry is [string, readonly EventType[]] => Array.isArray(entry[1]));

describe('what each audited action publishes', () => {
  it('has an entry for every audit action and none for an action that does not exist', () => {
    expect(Object.keys(AUDIT_PUBLICATIONS).sort()).toEqual([...AUDIT_ACTIONS].sort());
  });

  it('names only registered events on public topics', () => {
    for (const [, events] of published) {
      expect(events.length).toBeGreaterThan(0);
      for (const name of events) expect(isPublicTopic(registry[name].topic)).toBe(true);
    }
  });

  it('gives a reason for every action that publishes nothing', () => {
    const silent = entries.filter(([, entry]) => !Array.isArray(entry));
    for (const [action, entry] of silent)
      expect({ action, entry }).toEqual({ action, entry: { notPublished: expect.stringMatching(/^.{20,}$/) } });
  });
});
