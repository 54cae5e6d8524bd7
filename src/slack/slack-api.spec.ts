import { onTheWire } from './slack-api';

describe('onTheWire', () => {
  it('gives views, blocks and attachments as the JSON text the client would send, and leaves the rest as given', () => {
    const view = { type: 'modal', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Hej 👋 <åäö>' } }] };
    const args = { trigger_id: 't.1', view, blocks: [{ type: 'divider' }], text: 'x', unfurl_links: false };
    const out = onTheWire(args);
    expect(out).toEqual({ trigger_id: 't.1', view: JSON.stringify(view), blocks: '[{"type":"divider"}]', text: 'x', unfurl_links: false });
    expect(JSON.parse(out.view as unknown as string)).toEqual(view);
    expect(args.view).toBe(view);
  });

  it('returns arguments without Block Kit objects as they are', () => {
    const args = { channel: 'C1', text: 'hi', view: '{"type":"modal"}' };
    expect(onTheWire(args)).toBe(args);
  });
});
