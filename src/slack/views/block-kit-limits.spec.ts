import { checkLimits } from './block-kit-limits';

const modal = (blocks: unknown[], over: Record<string, unknown> = {}) => ({
  type: 'modal',
  title: { type: 'plain_text', text: 'Title' },
  submit: { type: 'plain_text', text: 'OK' },
  blocks,
  ...over,
});
const opt = (v: string, text = v) => ({ text: { type: 'plain_text', text }, value: v });

describe('checkLimits', () => {
  it('accepts a small valid modal', () => {
    expect(checkLimits('modal', modal([{ type: 'section', block_id: 'a', text: { type: 'mrkdwn', text: 'hi' } }]))).toEqual([]);
  });

  it('finds the violations Slack rejects', () => {
    const problems = checkLimits(
      'modal',
      modal(
        [
          { type: 'section', block_id: 'a', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } },
          { type: 'header', block_id: 'a', text: { type: 'plain_text', text: 'h'.repeat(151) } },
          {
            type: 'input',
            block_id: 'b'.repeat(256),
            label: { type: 'plain_text', text: 'L' },
            element: {
              type: 'static_select',
              action_id: 's',
              options: Array.from({ length: 101 }, (_, i) => opt(String(i))),
              initial_option: opt('nope'),
            },
          },
          { type: 'input', label: { type: 'plain_text', text: 'L' }, element: { type: 'plain_text_input', action_id: 't', initial_value: 'v'.repeat(3001) } },
          { type: 'actions', elements: [{ type: 'button', action_id: 'b', text: { type: 'plain_text', text: 'b'.repeat(76) }, value: 'v'.repeat(2001) }] },
          { type: 'context', elements: [{ type: 'mrkdwn', text: '' }] },
        ],
        { title: { type: 'plain_text', text: 'This title is far too long for Slack' }, private_metadata: 'm'.repeat(3001) },
      ),
    );
    const joined = problems.join('\n');
    expect(joined).toMatch(/^title\.text: 36 characters \(max 24\)/m);
    expect(joined).toContain('private_metadata');
    expect(joined).toContain('blocks[0].text.text: 3001 characters (max 3000)');
    expect(joined).toContain('duplicate block_id a');
    expect(joined).toContain('blocks[1].text.text: 151 characters (max 150)');
    expect(joined).toContain('blocks[2].block_id: 256 characters');
    expect(joined).toContain('101 options (max 100)');
    expect(joined).toContain('not among the options');
    expect(joined).toContain('initial_value: 3001 characters');
    expect(joined).toContain('elements[0].text.text: 76 characters (max 75)');
    expect(joined).toContain('elements[0].value: 2001 characters (max 2000)');
    expect(joined).toContain('empty text');
  });

  it('counts blocks per surface and checks message text', () => {
    const s = { type: 'divider' };
    expect(checkLimits('message', { text: 'x', blocks: Array(51).fill(s) })).toEqual(['blocks: 51 blocks (max 50)']);
    expect(checkLimits('home', { type: 'home', blocks: Array(100).fill(s) })).toEqual([]);
    expect(checkLimits('modal', modal(Array(101).fill(s)))).toEqual(['blocks: 101 blocks (max 100)']);
    expect(checkLimits('message', { text: 'x'.repeat(40001), blocks: [] })).toEqual(['text: 40001 characters (max 40000)']);
  });

  it('checks option text and value lengths', () => {
    const p = checkLimits(
      'modal',
      modal([
        {
          type: 'input',
          block_id: 'x',
          label: { type: 'plain_text', text: 'L' },
          element: { type: 'multi_static_select', action_id: 'x', options: [opt('v'.repeat(151), 't'.repeat(76))] },
        },
      ]),
    );
    expect(p).toEqual([
      'blocks[0].element.options[0].text.text: 76 characters (max 75)',
      'blocks[0].element.options[0].value: 151 characters (max 150)',
    ]);
  });
});
