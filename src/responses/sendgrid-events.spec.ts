import { readSendgridEvents } from './sendgrid-events';

describe('readSendgridEvents', () => {
  it('reads delivery events by outboxId (number or string) and by sg_message_id without its filter suffix', () => {
    const { events, skipped } = readSendgridEvents([
      { event: 'bounce', outboxId: '12', sg_message_id: 'abc.filter0001.1', reason: '550 no such user', email: 'a@example.com', timestamp: 1 },
      { event: 'delivered', outboxId: 13 },
      { event: 'dropped', sg_message_id: 'xyz.filter0002' },
      { event: 'deferred', outboxId: null, sg_message_id: 'def', reason: null },
    ]);
    expect(skipped).toEqual([]);
    expect(events).toEqual([
      { status: 'bounced', outboxId: 12, providerMessageId: 'abc', reason: '550 no such user' },
      { status: 'delivered', outboxId: 13, providerMessageId: null, reason: null },
      { status: 'dropped', outboxId: null, providerMessageId: 'xyz', reason: null },
      { status: 'deferred', outboxId: null, providerMessageId: 'def', reason: null },
    ]);
  });

  it.each([
    [null, 'is not an object'],
    [5, 'is not an object'],
    ['bounce', 'is not an object'],
    [[{ event: 'bounce', outboxId: 1 }], 'is not an object'],
    [{ outboxId: 1 }, 'event is missing or not a string'],
    [{ event: 7, outboxId: 1 }, 'event is missing or not a string'],
    [{ event: 'bounce', sg_message_id: 5 }, 'sg_message_id is not a string'],
    [{ event: 'bounce', sg_message_id: ['a'] }, 'sg_message_id is not a string'],
    [{ event: 'bounce', outboxId: 'abc' }, 'outboxId is not a message id'],
    [{ event: 'bounce', outboxId: -3 }, 'outboxId is not a message id'],
    [{ event: 'bounce', outboxId: 1.5 }, 'outboxId is not a message id'],
    [{ event: 'bounce', outboxId: { id: 1 } }, 'outboxId is not a message id'],
    [{ event: 'bounce', outboxId: 1, reason: { code: 550 } }, 'reason is not a string'],
    [{ event: 'bounce' }, 'has neither outboxId nor sg_message_id'],
    [{ event: 'bounce', sg_message_id: '.filter' }, 'has neither outboxId nor sg_message_id'],
  ])('skips %j as malformed: %s', (item, why) => {
    expect(readSendgridEvents([item])).toEqual({ events: [], skipped: [{ index: 0, malformed: true, why }] });
  });

  it.each(['open', 'click', 'constructor', 'toString', 'hasOwnProperty', '__proto__', 'valueOf'])('skips the event %j as not tracked', (event) => {
    expect(readSendgridEvents([{ event, outboxId: 1 }])).toEqual({ events: [], skipped: [{ index: 0, malformed: false, why: `event "${event}" is not tracked` }] });
  });

  it('reads fields as own properties only', () => {
    const inherited = Object.create({ event: 'bounce', outboxId: 1 }) as object;
    expect(readSendgridEvents([inherited]).skipped).toEqual([{ index: 0, malformed: true, why: 'event is missing or not a string' }]);
    const parsed = JSON.parse('[{"__proto__": {"event": "bounce"}, "outboxId": 1}]') as unknown[];
    expect(readSendgridEvents(parsed).events).toEqual([]);
  });

  it('keeps the good items of a mixed batch with their positions', () => {
    const { events, skipped } = readSendgridEvents([null, { event: 'delivered', outboxId: 4 }, { event: 'open', outboxId: 4 }, { event: 'bounce', sg_message_id: 5 }]);
    expect(events).toEqual([{ status: 'delivered', outboxId: 4, providerMessageId: null, reason: null }]);
    expect(skipped.map((s) => [s.index, s.malformed])).toEqual([
      [0, true],
      [2, false],
      [3, true],
    ]);
  });
});
