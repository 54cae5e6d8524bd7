/**
 * What Slack sends back for a modal the user filled in: used by the local rehearsal (`npm run demo`)
 * and by the tests to submit the app's own views. Pure.
 */

/**
 * The `view.state.values` Slack would send for this view: every input's initial value, overridden by `values`
 * (keyed by block_id; strings for text/select/date/time, arrays for multi-selects and checkboxes).
 */
export function stateFromView(view: any, values: Record<string, unknown>): Record<string, Record<string, unknown>> {
  const state: Record<string, Record<string, unknown>> = {};
  for (const block of view.blocks ?? []) {
    if (block.type !== 'input' && !(block.type === 'section' && block.accessory?.action_id)) continue;
    const el = block.type === 'input' ? block.element : block.accessory;
    const given = Object.prototype.hasOwnProperty.call(values, block.block_id) ? values[block.block_id] : undefined;
    state[block.block_id] = { [el.action_id]: elementState(el, given) };
  }
  return state;
}

function optionFor(el: any, value: string) {
  const opts = [...(el.options ?? []), ...(el.option_groups ?? []).flatMap((g: any) => g.options)];
  return opts.find((o: any) => o.value === value) ?? { text: { type: 'plain_text', text: value }, value };
}

function elementState(el: any, v: unknown): Record<string, unknown> {
  const type = el.type;
  switch (type) {
    case 'static_select':
    case 'external_select':
    case 'radio_buttons':
      return { type, selected_option: v !== undefined ? (v === null ? null : optionFor(el, String(v))) : (el.initial_option ?? null) };
    case 'multi_static_select':
    case 'multi_external_select':
    case 'checkboxes':
      return { type, selected_options: v !== undefined ? (v as unknown[]).map((x) => optionFor(el, String(x))) : (el.initial_options ?? []) };
    case 'datepicker':
      return { type, selected_date: v !== undefined ? v : (el.initial_date ?? null) };
    case 'timepicker':
      return { type, selected_time: v !== undefined ? v : (el.initial_time ?? null) };
    case 'multi_users_select':
      return { type, selected_users: v !== undefined ? v : (el.initial_users ?? []) };
    case 'users_select':
      return { type, selected_user: v !== undefined ? v : (el.initial_user ?? null) };
    case 'plain_text_input':
    case 'email_text_input':
    case 'number_input':
      return { type, value: v !== undefined ? v : (el.initial_value ?? null) };
    default:
      return { type, value: v ?? null };
  }
}
