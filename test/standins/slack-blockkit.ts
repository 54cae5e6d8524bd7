/**
 * Block Kit limit checks, as Slack applies them to chat.* (message) and views.* (modal/home) payloads.
 * Pure: no I/O. Each problem is reported the way Slack words it in `response_metadata.messages`
 * (minus the "[ERROR] " prefix): `<what is wrong> [json-pointer:<path>]`, the pointer relative to the payload
 * (the view object for modal/home; `{text, blocks, attachments}` for a message).
 */

type Json = Record<string, unknown>;
export type BlockKitKind = 'modal' | 'home' | 'message';

const KNOWN_BLOCKS = new Set([
  'section', 'divider', 'image', 'actions', 'context', 'input', 'header', 'rich_text', 'video', 'file',
  'markdown', 'table', 'context_actions', 'call',
]);

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const len = (s: string): number => [...s].length;

export function checkBlockKit(kind: BlockKitKind, payload: unknown): string[] {
  const errs: string[] = [];
  const err = (msg: string, ptr: string) => errs.push(`${msg} [json-pointer:${ptr}]`);

  const maxLen = (v: unknown, max: number, ptr: string) => {
    if (typeof v === 'string' && len(v) > max) err(`must be less than ${max + 1} characters`, ptr);
  };
  const reqString = (v: unknown, ptr: string, max?: number) => {
    if (typeof v !== 'string') return err('must provide a string', ptr);
    if (v.length === 0) return err('must be more than 0 characters', ptr);
    if (max !== undefined) maxLen(v, max, ptr);
  };
  /** text composition object */
  const text = (t: unknown, ptr: string, max: number, opts: { plainOnly?: boolean; required?: boolean } = {}) => {
    if (t === undefined) {
      if (opts.required) err('must provide an object', ptr);
      return;
    }
    if (!isObj(t)) return err('must provide an object', ptr);
    if (t.type !== 'plain_text' && t.type !== 'mrkdwn') return err('must be one of [plain_text, mrkdwn]', `${ptr}/type`);
    if (opts.plainOnly && t.type !== 'plain_text') return err('must be a plain_text text object', `${ptr}/type`);
    reqString(t.text, `${ptr}/text`, max);
  };
  const option = (o: unknown, ptr: string, textMax = 75) => {
    if (!isObj(o)) return err('must provide an object', ptr);
    text(o.text, `${ptr}/text`, textMax, { required: true });
    reqString(o.value, `${ptr}/value`, 150);
    text(o.description, `${ptr}/description`, 75);
    maxLen(o.url, 3000, `${ptr}/url`);
  };
  const options = (arr: unknown, ptr: string, max: number, min = 1) => {
    if (!Array.isArray(arr)) return err('must provide an array', ptr);
    if (arr.length < min) err(`must provide at least ${min} items`, ptr);
    if (arr.length > max) err(`no more than ${max} items allowed`, ptr);
    arr.forEach((o, i) => option(o, `${ptr}/${i}`));
  };
  const confirm = (c: unknown, ptr: string) => {
    if (c === undefined) return;
    if (!isObj(c)) return err('must provide an object', ptr);
    text(c.title, `${ptr}/title`, 100, { plainOnly: true, required: true });
    text(c.text, `${ptr}/text`, 300, { required: true });
    text(c.confirm, `${ptr}/confirm`, 30, { plainOnly: true, required: true });
    text(c.deny, `${ptr}/deny`, 30, { plainOnly: true, required: true });
  };

  const element = (e: unknown, ptr: string) => {
    if (!isObj(e)) return err('must provide an object', ptr);
    if (typeof e.type !== 'string') return err('must provide a string', `${ptr}/type`);
    maxLen(e.action_id, 255, `${ptr}/action_id`);
    confirm(e.confirm, `${ptr}/confirm`);
    if (e.placeholder !== undefined) text(e.placeholder, `${ptr}/placeholder`, 150, { plainOnly: true });
    switch (e.type) {
      case 'button':
        text(e.text, `${ptr}/text`, 75, { plainOnly: true, required: true });
        maxLen(e.value, 2000, `${ptr}/value`);
        maxLen(e.url, 3000, `${ptr}/url`);
        maxLen(e.accessibility_label, 75, `${ptr}/accessibility_label`);
        if (e.style !== undefined && e.style !== 'primary' && e.style !== 'danger')
          err('must be one of [primary, danger]', `${ptr}/style`);
        break;
      case 'static_select':
      case 'multi_static_select':
        if (e.options !== undefined && e.option_groups !== undefined)
          err('must provide exactly one of options or option_groups', ptr);
        else if (e.option_groups !== undefined) {
          if (!Array.isArray(e.option_groups)) err('must provide an array', `${ptr}/option_groups`);
          else {
            if (e.option_groups.length > 100) err('no more than 100 items allowed', `${ptr}/option_groups`);
            e.option_groups.forEach((g, i) => {
              const gp = `${ptr}/option_groups/${i}`;
              if (!isObj(g)) return err('must provide an object', gp);
              text(g.label, `${gp}/label`, 75, { plainOnly: true, required: true });
              options(g.options, `${gp}/options`, 100);
            });
          }
        } else options(e.options, `${ptr}/options`, 100);
        if (e.initial_option !== undefined) option(e.initial_option, `${ptr}/initial_option`);
        if (Array.isArray(e.initial_options))
          e.initial_options.forEach((o, i) => option(o, `${ptr}/initial_options/${i}`));
        break;
      case 'overflow':
        options(e.options, `${ptr}/options`, 5, 1);
        break;
      case 'checkboxes':
      case 'radio_buttons':
        options(e.options, `${ptr}/options`, 10);
        break;
      case 'plain_text_input':
        maxLen(e.initial_value, 3000, `${ptr}/initial_value`);
        if (typeof e.max_length === 'number' && e.max_length > 3000) err('must be less than 3001', `${ptr}/max_length`);
        if (typeof e.min_length === 'number' && e.min_length > 3000) err('must be less than 3001', `${ptr}/min_length`);
        break;
      case 'image':
        reqString(e.alt_text, `${ptr}/alt_text`, 2000);
        maxLen(e.image_url, 3000, `${ptr}/image_url`);
        break;
      case 'plain_text':
      case 'mrkdwn':
        text(e, ptr, 3000);
        break;
      default:
        break;
    }
  };

  const blocks = (arr: unknown, ptr: string, max: number) => {
    if (arr === undefined) return;
    if (!Array.isArray(arr)) return err('must provide an array', ptr);
    if (arr.length > max) err(`no more than ${max} items allowed`, ptr);
    const ids = new Map<string, number>();
    arr.forEach((b, i) => {
      const bp = `${ptr}/${i}`;
      if (!isObj(b)) return err('must provide an object', bp);
      if (typeof b.type !== 'string' || !KNOWN_BLOCKS.has(b.type)) return err('unsupported type', `${bp}/type`);
      if (b.block_id !== undefined) {
        if (typeof b.block_id !== 'string') err('must provide a string', `${bp}/block_id`);
        else {
          maxLen(b.block_id, 255, `${bp}/block_id`);
          if (ids.has(b.block_id)) err(`block_id '${b.block_id}' already exists`, `${bp}/block_id`);
          ids.set(b.block_id, i);
        }
      }
      switch (b.type) {
        case 'section':
          if (b.text === undefined && b.fields === undefined) err('must provide text or fields', bp);
          text(b.text, `${bp}/text`, 3000);
          if (b.fields !== undefined) {
            if (!Array.isArray(b.fields)) err('must provide an array', `${bp}/fields`);
            else {
              if (b.fields.length > 10) err('no more than 10 items allowed', `${bp}/fields`);
              b.fields.forEach((f, j) => text(f, `${bp}/fields/${j}`, 2000, { required: true }));
            }
          }
          if (b.accessory !== undefined) element(b.accessory, `${bp}/accessory`);
          break;
        case 'header':
          text(b.text, `${bp}/text`, 150, { plainOnly: true, required: true });
          break;
        case 'context':
          if (!Array.isArray(b.elements)) err('must provide an array', `${bp}/elements`);
          else {
            if (b.elements.length === 0) err('must provide at least 1 items', `${bp}/elements`);
            if (b.elements.length > 10) err('no more than 10 items allowed', `${bp}/elements`);
            b.elements.forEach((e, j) => element(e, `${bp}/elements/${j}`));
          }
          break;
        case 'actions': {
          if (!Array.isArray(b.elements)) {
            err('must provide an array', `${bp}/elements`);
            break;
          }
          if (b.elements.length === 0) err('must provide at least 1 items', `${bp}/elements`);
          if (b.elements.length > 25) err('no more than 25 items allowed', `${bp}/elements`);
          const actionIds = new Set<string>();
          b.elements.forEach((e, j) => {
            element(e, `${bp}/elements/${j}`);
            if (isObj(e) && typeof e.action_id === 'string') {
              if (actionIds.has(e.action_id))
                err(`action_id '${e.action_id}' already exists`, `${bp}/elements/${j}/action_id`);
              actionIds.add(e.action_id);
            }
          });
          break;
        }
        case 'input':
          if (b.label === undefined) err('must provide an object', `${bp}/label`);
          else text(b.label, `${bp}/label`, 2000, { plainOnly: true });
          if (b.element === undefined) err('must provide an object', `${bp}/element`);
          else element(b.element, `${bp}/element`);
          text(b.hint, `${bp}/hint`, 2000, { plainOnly: true });
          break;
        case 'image':
          reqString(b.alt_text, `${bp}/alt_text`, 2000);
          maxLen(b.image_url, 3000, `${bp}/image_url`);
          text(b.title, `${bp}/title`, 2000, { plainOnly: true });
          break;
        case 'markdown':
          reqString(b.text, `${bp}/text`, 12000);
          break;
        default:
          break;
      }
    });
  };

  if (!isObj(payload)) {
    err('must provide an object', '');
    return errs;
  }

  if (kind === 'message') {
    maxLen(payload.text, 40000, '/text');
    blocks(payload.blocks, '/blocks', 50);
    return errs;
  }

  // views
  if (payload.type !== kind) err(`must be '${kind}'`, '/type');
  maxLen(payload.private_metadata, 3000, '/private_metadata');
  maxLen(payload.callback_id, 255, '/callback_id');
  maxLen(payload.external_id, 255, '/external_id');
  if (payload.blocks === undefined) err('must provide an array', '/blocks');
  blocks(payload.blocks, '/blocks', 100);
  if (kind === 'modal') {
    text(payload.title, '/title', 24, { plainOnly: true, required: true });
    text(payload.submit, '/submit', 24, { plainOnly: true });
    text(payload.close, '/close', 24, { plainOnly: true });
    const hasInput = Array.isArray(payload.blocks) && payload.blocks.some((b) => isObj(b) && b.type === 'input');
    if (hasInput && payload.submit === undefined) err('must provide submit when the view contains input blocks', '/submit');
  }
  return errs;
}
