/**
 * Minimal Block Kit types and constructors for the pure view builders (no @slack/* runtime).
 * Deliberately loose: Slack's JSON is the contract; `checkLimits` guards the numbers.
 */

export interface PlainText {
  type: 'plain_text';
  text: string;
  emoji?: boolean;
}
export interface Mrkdwn {
  type: 'mrkdwn';
  text: string;
  verbatim?: boolean;
}
export type TextObject = PlainText | Mrkdwn;

export interface OptionObject {
  text: PlainText;
  value: string;
  description?: PlainText;
}

export interface ConfirmDialog {
  title: PlainText;
  text: TextObject;
  confirm: PlainText;
  deny: PlainText;
  style?: 'primary' | 'danger';
}

/** Any interactive element (select, input, button, picker …). */
export interface BlockElement {
  type: string;
  action_id?: string;
  [key: string]: unknown;
}

export interface Block {
  type: string;
  block_id?: string;
  [key: string]: unknown;
}

export interface View {
  type: 'modal' | 'home';
  callback_id?: string;
  title?: PlainText;
  submit?: PlainText;
  close?: PlainText;
  private_metadata?: string;
  blocks: Block[];
  notify_on_close?: boolean;
  clear_on_close?: boolean;
  external_id?: string;
}

export interface MessagePayload {
  text: string;
  blocks: Block[];
}

/** Cut `s` to at most `max` UTF-16 units, ending in "…" when cut; never splits a surrogate pair. */
export function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  if (max <= 1) return '…'.slice(0, max);
  let cut = max - 1;
  const code = s.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return s.slice(0, cut) + '…';
}

export const plain = (text: string, max = 3000): PlainText => ({ type: 'plain_text', text: truncate(text || ' ', max), emoji: true });
export const md = (text: string, max = 3000): Mrkdwn => ({ type: 'mrkdwn', text: truncate(text || ' ', max) });

export function option(text: string, value: string): OptionObject {
  return { text: plain(text, 75), value: truncate(value, 150) };
}

export function section(text: string, blockId?: string): Block {
  return { type: 'section', ...(blockId ? { block_id: blockId } : {}), text: md(text, 3000) };
}

export function header(text: string, blockId?: string): Block {
  return { type: 'header', ...(blockId ? { block_id: blockId } : {}), text: plain(text, 150) };
}

export function context(text: string, blockId?: string): Block {
  return { type: 'context', ...(blockId ? { block_id: blockId } : {}), elements: [md(text, 3000)] };
}

export function divider(): Block {
  return { type: 'divider' };
}

export function input(opts: {
  blockId: string;
  label: string;
  element: BlockElement;
  hint?: string;
  optional?: boolean;
  dispatchAction?: boolean;
}): Block {
  const b: Block = {
    type: 'input',
    block_id: opts.blockId,
    label: plain(opts.label, 2000),
    element: opts.element,
  };
  if (opts.hint) b.hint = plain(opts.hint, 2000);
  if (opts.optional) b.optional = true;
  if (opts.dispatchAction) b.dispatch_action = true;
  return b;
}

/** Escape user-provided text for Slack mrkdwn (&, <, >). */
export function escapeMrkdwn(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** `<@U…>` for a plausible Slack user id, otherwise null (never lets arbitrary text through). */
export function mention(userId: string): string | null {
  return /^[UW][A-Z0-9]+$/.test(userId) ? `<@${userId}>` : null;
}

/** "<@U1>", "<@U1> and <@U2>", "<@U1>, <@U2> and <@U3>". */
export function mentionList(userIds: string[]): string {
  const m = userIds.map(mention).filter((x): x is string => x !== null);
  if (m.length <= 1) return m.join('');
  return `${m.slice(0, -1).join(', ')} and ${m[m.length - 1]}`;
}
