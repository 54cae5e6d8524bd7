import { checkBlockKit } from './slack.standin';

const pt = (text: string) => ({ type: 'plain_text', text });
const modal = (extra: Record<string, unknown> = {}) => ({ type: 'modal', title: pt('Title'), blocks: [], ...extra });
const msg = (blocks: unknown[]) => ({ text: 'fallback', blocks });
const pointerOf = (errs: string[]) => errs.map((e) => /\[json-pointer:([^\]]*)\]/.exec(e)?.[1]);

describe('checkBlockKit', () => {
  it('accepts a valid modal, home and message', () => {
    expect(checkBlockKit('modal', modal({ submit: pt('OK'), close: pt('Cancel'), blocks: [{ type: 'input', label: pt('Name'), element: { type: 'plain_text_input', action_id: 'a' } }] }))).toEqual([]);
    expect(checkBlockKit('home', { type: 'home', blocks: [{ type: 'header', text: pt('Hello') }] })).toEqual([]);
    expect(checkBlockKit('message', msg([{ type: 'section', text: { type: 'mrkdwn', text: 'x' } }]))).toEqual([]);
  });

  it('limits block counts: 100 per view, 50 per message', () => {
    const div = (n: number) => Array.from({ length: n }, () => ({ type: 'divider' }));
    expect(checkBlockKit('modal', modal({ blocks: div(100) }))).toEqual([]);
    expect(pointerOf(checkBlockKit('modal', modal({ blocks: div(101) })))).toEqual(['/blocks']);
    expect(pointerOf(checkBlockKit('home', { type: 'home', blocks: div(101) }))).toEqual(['/blocks']);
    expect(checkBlockKit('message', msg(div(50)))).toEqual([]);
    expect(pointerOf(checkBlockKit('message', msg(div(51))))).toEqual(['/blocks']);
  });

  it('checks modal title / submit / close (24) and private_metadata (3000)', () => {
    expect(checkBlockKit('modal', modal({ title: pt('x'.repeat(24)) }))).toEqual([]);
    expect(checkBlockKit('modal', modal({ title: pt('x'.repeat(25)) }))).toEqual(['must be less than 25 characters [json-pointer:/title/text]']);
    expect(pointerOf(checkBlockKit('modal', modal({ submit: pt('x'.repeat(25)), close: pt('y'.repeat(25)) })))).toEqual(['/submit/text', '/close/text']);
    expect(pointerOf(checkBlockKit('modal', modal({ title: { type: 'mrkdwn', text: 'x' } })))).toEqual(['/title/type']);
    expect(pointerOf(checkBlockKit('modal', modal({ title: undefined })))).toEqual(['/title']);
    expect(pointerOf(checkBlockKit('modal', modal({ private_metadata: 'x'.repeat(3001) })))).toEqual(['/private_metadata']);
    expect(checkBlockKit('modal', modal({ private_metadata: 'x'.repeat(3000) }))).toEqual([]);
  });

  it('checks text lengths: section 3000, header 150, message text 40000', () => {
    const section = (n: number) => ({ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(n) } });
    expect(checkBlockKit('message', msg([section(3000)]))).toEqual([]);
    expect(pointerOf(checkBlockKit('message', msg([section(3001)])))).toEqual(['/blocks/0/text/text']);
    expect(pointerOf(checkBlockKit('message', msg([{ type: 'header', text: pt('x'.repeat(151)) }])))).toEqual(['/blocks/0/text/text']);
    expect(pointerOf(checkBlockKit('message', msg([{ type: 'context', elements: [{ type: 'mrkdwn', text: 'x'.repeat(3001) }] }])))).toEqual(['/blocks/0/elements/0/text']);
    expect(pointerOf(checkBlockKit('message', { text: 'x'.repeat(40001) }))).toEqual(['/text']);
    expect(pointerOf(checkBlockKit('message', msg([{ type: 'section', text: { type: 'mrkdwn', text: '' } }])))).toEqual(['/blocks/0/text/text']);
  });

  it('checks buttons, ids and selects', () => {
    const actions = (elements: unknown[]) => msg([{ type: 'actions', elements }]);
    expect(pointerOf(checkBlockKit('message', actions([{ type: 'button', text: pt('x'.repeat(76)), action_id: 'a' }])))).toEqual(['/blocks/0/elements/0/text/text']);
    expect(pointerOf(checkBlockKit('message', actions([{ type: 'button', text: pt('ok'), value: 'v'.repeat(2001) }])))).toEqual(['/blocks/0/elements/0/value']);
    expect(pointerOf(checkBlockKit('message', actions([{ type: 'button', text: pt('ok'), action_id: 'a'.repeat(256) }])))).toEqual(['/blocks/0/elements/0/action_id']);
    expect(pointerOf(checkBlockKit('message', msg([{ type: 'divider', block_id: 'b'.repeat(256) }])))).toEqual(['/blocks/0/block_id']);
    expect(pointerOf(checkBlockKit('message', msg([{ type: 'divider', block_id: 'same' }, { type: 'divider', block_id: 'same' }])))).toEqual(['/blocks/1/block_id']);

    const option = (i: number, text = `o${i}`, value = `v${i}`) => ({ text: pt(text), value });
    const select = (options: unknown[]) => actions([{ type: 'static_select', action_id: 's', options }]);
    expect(checkBlockKit('message', select(Array.from({ length: 100 }, (_, i) => option(i))))).toEqual([]);
    expect(pointerOf(checkBlockKit('message', select(Array.from({ length: 101 }, (_, i) => option(i)))))).toEqual(['/blocks/0/elements/0/options']);
    expect(pointerOf(checkBlockKit('message', select([option(1, 'x'.repeat(76))])))).toEqual(['/blocks/0/elements/0/options/0/text/text']);
    expect(pointerOf(checkBlockKit('message', select([option(1, 'ok', 'v'.repeat(151))])))).toEqual(['/blocks/0/elements/0/options/0/value']);
  });

  it('checks input blocks: label (2000), element, initial_value (3000), submit needed', () => {
    const input = (b: Record<string, unknown>) => modal({ submit: pt('OK'), blocks: [{ type: 'input', ...b }] });
    const el = { type: 'plain_text_input', action_id: 'a' };
    expect(pointerOf(checkBlockKit('modal', input({ element: el })))).toEqual(['/blocks/0/label']);
    expect(pointerOf(checkBlockKit('modal', input({ label: pt('L') })))).toEqual(['/blocks/0/element']);
    expect(pointerOf(checkBlockKit('modal', input({ label: pt('x'.repeat(2001)), element: el })))).toEqual(['/blocks/0/label/text']);
    expect(pointerOf(checkBlockKit('modal', input({ label: pt('L'), element: { ...el, initial_value: 'x'.repeat(3001) } })))).toEqual(['/blocks/0/element/initial_value']);
    expect(pointerOf(checkBlockKit('modal', modal({ blocks: [{ type: 'input', label: pt('L'), element: el }] })))).toEqual(['/submit']);
  });

  it('rejects wrong view types and unknown blocks', () => {
    expect(pointerOf(checkBlockKit('home', modal()))).toEqual(['/type']);
    expect(pointerOf(checkBlockKit('message', msg([{ type: 'banana' }])))).toEqual(['/blocks/0/type']);
  });
});
