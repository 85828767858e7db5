import { mailgunMailEvents, sendgridMailEvents, sesMailEvents } from './provider-events';

const received = new Date('2026-03-02T10:00:00Z');

describe('provider events', () => {
  it('reads SendGrid bounces, blocks, deferrals, drops and spam reports', () => {
    const events = sendgridMailEvents([
      { email: 'a@x.test', event: 'bounce', type: 'bounce', timestamp: 1, sg_event_id: 'e1' },
      { email: 'b@x.test', event: 'bounce', type: 'blocked', timestamp: 1, sg_event_id: 'e2' },
      { email: 'c@x.test', event: 'deferred', timestamp: 1, sg_event_id: 'e3' },
      { email: 'd@x.test', event: 'spamreport', timestamp: 1, sg_event_id: 'e4' },
      { email: 'e@x.test', event: 'dropped', reason: 'Bounced Address', timestamp: 1, sg_event_id: 'e5' },
      { email: 'f@x.test', event: 'dropped', reason: 'Unsubscribed Address', timestamp: 1, sg_event_id: 'e6' },
      { email: 'g@x.test', event: 'delivered', timestamp: 1 },
      { nonsense: true },
    ]);
    expect(events.map((e) => [e.address, e.kind, e.suppress])).toEqual([
      ['a@x.test', 'hard_bounce', 'hard_bounce'],
      ['b@x.test', 'soft_bounce', null],
      ['c@x.test', 'soft_bounce', null],
      ['d@x.test', 'complaint', 'complaint'],
      ['e@x.test', 'dropped', 'hard_bounce'],
      ['f@x.test', 'dropped', null],
    ]);
    expect(events[0]).toMatchObject({ provider: 'sendgrid', eventKey: 'e1', at: new Date(1000) });
  });

  it('reads SES bounces by type and complaints, for every recipient', () => {
    const bounce = (bounceType: string) =>
      JSON.stringify({
        notificationType: 'Bounce',
        bounce: {
          bounceType,
          bouncedRecipients: [{ emailAddress: 'a@x.test' }, { emailAddress: 'b@x.test' }],
          timestamp: '2026-03-02T09:59:00Z',
        },
      });
    expect(sesMailEvents(bounce('Permanent'), 'm1', received).map((e) => [e.address, e.kind, e.suppress])).toEqual([
      ['a@x.test', 'hard_bounce', 'hard_bounce'],
      ['b@x.test', 'hard_bounce', 'hard_bounce'],
    ]);
    expect(sesMailEvents(bounce('Transient'), 'm2', received).every((e) => e.suppress === null)).toBe(true);
    const complaint = JSON.stringify({ eventType: 'Complaint', complaint: { complainedRecipients: [{ emailAddress: 'c@x.test' }] } });
    expect(sesMailEvents(complaint, 'm3', received)).toEqual([
      { provider: 'ses', kind: 'complaint', address: 'c@x.test', eventKey: 'm3', at: received, suppress: 'complaint' },
    ]);
    expect(sesMailEvents('{"notificationType":"Delivery"}', 'm4', received)).toEqual([]);
    expect(sesMailEvents('not json', 'm5', received)).toEqual([]);
  });

  it('reads Mailgun permanent and temporary failures and complaints', () => {
    expect(mailgunMailEvents({ event: 'failed', severity: 'permanent', recipient: 'a@x.test', timestamp: 2, id: 'i' })).toEqual([
      { provider: 'mailgun', kind: 'hard_bounce', address: 'a@x.test', eventKey: 'i', at: new Date(2000), suppress: 'hard_bounce' },
    ]);
    expect(mailgunMailEvents({ event: 'failed', severity: 'temporary', recipient: 'a@x.test', timestamp: 2 })[0]?.suppress).toBeNull();
    expect(mailgunMailEvents({ event: 'complained', recipient: 'a@x.test', timestamp: 2 })[0]?.kind).toBe('complaint');
    expect(mailgunMailEvents({ event: 'opened', recipient: 'a@x.test', timestamp: 2 })).toEqual([]);
  });
});
