/**
 * A pure checker of the Block Kit limits Slack enforces (and the stand-in server rejects).
 * Returns one message per violation; [] means the payload is within limits.
 */

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const SELECTS_WITH_OPTIONS = new Set(['static_select', 'multi_static_select']);
const EXTERNAL_SELECTS = new Set(['external_select', 'multi_external_select']);
const SMALL_OPTION_ELEMENTS: Record<string, number> = { radio_buttons: 10, checkboxes: 10, overflow: 5 };

class Checker {
  readonly problems: string[] = [];

  fail(path: string, msg: string): void {
    this.problems.push(`${path}: ${msg}`);
  }

  maxLen(path: string, v: unknown, max: number): void {
    if (typeof v === 'string' && v.length > max) this.fail(path, `${v.length} characters (max ${max})`);
  }

  text(path: string, t: unknown, max: number, plainOnly = false): void {
    if (!isObj(t)) return this.fail(path, 'missing text object');
    if (t.type !== 'plain_text' && t.type !== 'mrkdwn') this.fail(path, `bad text type ${String(t.type)}`);
    if (plainOnly && t.type !== 'plain_text') this.fail(path, 'must be plain_text');
    if (typeof t.text !== 'string' || t.text.length === 0) return this.fail(path, 'empty text');
    this.maxLen(`${path}.text`, t.text, max);
  }

  option(path: string, o: unknown): void {
    if (!isObj(o)) return this.fail(path, 'bad option');
    this.text(`${path}.text`, o.text, 75);
    if (typeof o.value !== 'string' || o.value === '') this.fail(`${path}.value`, 'missing value');
    this.maxLen(`${path}.value`, o.value, 150);
    if (o.description !== undefined) this.text(`${path}.description`, o.description, 75);
  }

  confirm(path: string, c: unknown): void {
    if (!isObj(c)) return this.fail(path, 'bad confirm object');
    this.text(`${path}.title`, c.title, 100, true);
    this.text(`${path}.text`, c.text, 300);
    this.text(`${path}.confirm`, c.confirm, 30, true);
    this.text(`${path}.deny`, c.deny, 30, true);
  }

  element(path: string, e: unknown): void {
    if (!isObj(e) || typeof e.type !== 'string') return this.fail(path, 'bad element');
    this.maxLen(`${path}.action_id`, e.action_id, 255);
    if (e.placeholder !== undefined) this.text(`${path}.placeholder`, e.placeholder, 150, true);
    if (e.confirm !== undefined) this.confirm(`${path}.confirm`, e.confirm);

    const type = e.type;
    if (type === 'button') {
      this.text(`${path}.text`, e.text, 75, true);
      this.maxLen(`${path}.value`, e.value, 2000);
      this.maxLen(`${path}.url`, e.url, 3000);
    }
    if (type === 'plain_text_input') {
      this.maxLen(`${path}.initial_value`, e.initial_value, 3000);
      if (typeof e.max_length === 'number') {
        if (e.max_length > 3000) this.fail(`${path}.max_length`, 'max 3000');
        if (typeof e.initial_value === 'string' && e.initial_value.length > e.max_length) this.fail(`${path}.initial_value`, 'longer than max_length');
      }
    }
    if (type === 'datepicker' && e.initial_date !== undefined && !(typeof e.initial_date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(e.initial_date))) {
      this.fail(`${path}.initial_date`, 'must be YYYY-MM-DD');
    }
    if (type === 'timepicker' && e.initial_time !== undefined && !(typeof e.initial_time === 'string' && /^([01]\d|2[0-3]):[0-5]\d$/.test(e.initial_time))) {
      this.fail(`${path}.initial_time`, 'must be HH:mm');
    }

    const limit = SELECTS_WITH_OPTIONS.has(type) ? 100 : SMALL_OPTION_ELEMENTS[type];
    if (limit !== undefined) {
      const opts: unknown[] = [];
      if (Array.isArray(e.options)) opts.push(...e.options);
      if (Array.isArray(e.option_groups)) {
        if (e.option_groups.length > 100) this.fail(`${path}.option_groups`, `${e.option_groups.length} groups (max 100)`);
        e.option_groups.forEach((g, i) => {
          if (isObj(g) && Array.isArray(g.options)) {
            if (g.options.length > 100) this.fail(`${path}.option_groups[${i}]`, `${g.options.length} options (max 100)`);
            opts.push(...g.options);
          }
        });
      } else if (Array.isArray(e.options) && e.options.length > limit) {
        this.fail(`${path}.options`, `${e.options.length} options (max ${limit})`);
      }
      if (opts.length === 0) this.fail(`${path}.options`, 'no options');
      opts.forEach((o, i) => this.option(`${path}.options[${i}]`, o));
      const values = opts.map((o) => (isObj(o) ? o.value : undefined));
      if (new Set(values).size !== values.length) this.fail(`${path}.options`, 'duplicate option values');
      const known = new Set(values);
      const initial = [e.initial_option, ...(Array.isArray(e.initial_options) ? e.initial_options : [])].filter((x) => x !== undefined);
      initial.forEach((o, i) => {
        if (!isObj(o) || !known.has(o.value)) this.fail(`${path}.initial_option(s)[${i}]`, 'not among the options');
      });
    }
    if (EXTERNAL_SELECTS.has(type)) {
      const initial = [e.initial_option, ...(Array.isArray(e.initial_options) ? e.initial_options : [])].filter((x) => x !== undefined);
      initial.forEach((o, i) => this.option(`${path}.initial_option(s)[${i}]`, o));
    }
  }

  block(path: string, b: unknown, kind: string): void {
    if (!isObj(b) || typeof b.type !== 'string') return this.fail(path, 'bad block');
    switch (b.type) {
      case 'section':
        if (b.text === undefined && b.fields === undefined) this.fail(path, 'section needs text or fields');
        if (b.text !== undefined) this.text(`${path}.text`, b.text, 3000);
        if (b.fields !== undefined) {
          if (!Array.isArray(b.fields) || b.fields.length > 10) this.fail(`${path}.fields`, 'max 10 fields');
          else b.fields.forEach((f, i) => this.text(`${path}.fields[${i}]`, f, 2000));
        }
        if (b.accessory !== undefined) this.element(`${path}.accessory`, b.accessory);
        break;
      case 'header':
        this.text(`${path}.text`, b.text, 150, true);
        break;
      case 'context':
        if (!Array.isArray(b.elements) || b.elements.length === 0 || b.elements.length > 10) this.fail(`${path}.elements`, '1–10 elements');
        else b.elements.forEach((el, i) => (isObj(el) && el.type === 'image' ? undefined : this.text(`${path}.elements[${i}]`, el, 3000)));
        break;
      case 'actions': {
        if (!Array.isArray(b.elements) || b.elements.length === 0 || b.elements.length > 25) {
          this.fail(`${path}.elements`, '1–25 elements');
          break;
        }
        b.elements.forEach((el, i) => this.element(`${path}.elements[${i}]`, el));
        const ids = b.elements.map((el) => (isObj(el) ? el.action_id : undefined)).filter((x) => x !== undefined);
        if (new Set(ids).size !== ids.length) this.fail(`${path}.elements`, 'duplicate action_id');
        break;
      }
      case 'input':
        if (kind === 'message') this.fail(path, 'input blocks belong in views');
        this.text(`${path}.label`, b.label, 2000, true);
        if (b.hint !== undefined) this.text(`${path}.hint`, b.hint, 2000, true);
        this.element(`${path}.element`, b.element);
        break;
      case 'divider':
      case 'image':
      case 'rich_text':
        break;
      default:
        this.fail(path, `unknown block type ${b.type}`);
    }
  }
}

export function checkLimits(kind: 'modal' | 'home' | 'message', payload: unknown): string[] {
  const c = new Checker();
  if (!isObj(payload)) return ['payload: not an object'];
  const blocks = payload.blocks;
  if (!Array.isArray(blocks)) return ['blocks: missing'];
  const maxBlocks = kind === 'message' ? 50 : 100;
  if (blocks.length > maxBlocks) c.fail('blocks', `${blocks.length} blocks (max ${maxBlocks})`);

  if (kind === 'message') {
    if (typeof payload.text !== 'string' || payload.text === '') c.fail('text', 'missing fallback text');
    c.maxLen('text', payload.text, 40000);
  } else {
    if (payload.type !== kind) c.fail('type', `expected ${kind}`);
    c.maxLen('private_metadata', payload.private_metadata, 3000);
    c.maxLen('callback_id', payload.callback_id, 255);
    c.maxLen('external_id', payload.external_id, 255);
    if (kind === 'modal') {
      c.text('title', payload.title, 24, true);
      if (payload.submit !== undefined) c.text('submit', payload.submit, 24, true);
      if (payload.close !== undefined) c.text('close', payload.close, 24, true);
      const hasInput = blocks.some((b) => isObj(b) && b.type === 'input');
      if (hasInput && payload.submit === undefined) c.fail('submit', 'required when the modal has input blocks');
    }
  }

  const seen = new Set<string>();
  blocks.forEach((b, i) => {
    const path = `blocks[${i}]`;
    if (isObj(b) && b.block_id !== undefined) {
      if (typeof b.block_id !== 'string' || b.block_id === '') c.fail(`${path}.block_id`, 'must be a non-empty string');
      else {
        c.maxLen(`${path}.block_id`, b.block_id, 255);
        if (seen.has(b.block_id)) c.fail(`${path}.block_id`, `duplicate block_id ${b.block_id}`);
        seen.add(b.block_id);
      }
    }
    c.block(path, b, kind);
  });
  return c.problems;
}
