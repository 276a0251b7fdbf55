import { useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { MODES, OVER_BUDGET_BEHAVIOURS, PERIODS, WINDOW_KINDS } from '../../../shared/domain';
import type { AgentView } from '../../../shared/schemas/owner-api';
import { visible } from '../../../shared/text/visible';
import { useAgents } from '../stores/agents';
import {
  draftOf,
  FIELD_LABEL,
  parseCreate,
  parsePolicyEdit,
  type DraftField,
  type FormErrors,
  type PolicyDraft,
} from '../stores/policy-draft';
import { Dialog, DialogActions } from './agent-dialog';

/** The order fields are shown in: the first one in error gets the focus. */
const ORDER: DraftField[] = [
  'name',
  'mode',
  'budget',
  'period',
  'window',
  'over_budget',
  'pause_on_over_budget',
  'alert_levels',
  'max_transaction',
  'approval_threshold',
  'ask_on_new_merchant',
  'allow_merchants',
  'deny_merchants',
  'allowed_categories',
  'ask_on_new_recipient',
  'allow_recipients',
  'deny_recipients',
  'velocity_per_hour',
  'rate_limit_per_minute',
  'max_pending',
];

const PERIOD_TEXT: Record<(typeof PERIODS)[number], string> = {
  daily: 'Daily',
  weekly: 'Weekly',
  monthly: 'Monthly',
  total: 'Total (never resets)',
};
const WINDOW_TEXT: Record<(typeof WINDOW_KINDS)[number], string> = {
  calendar: 'Calendar',
  rolling: 'Rolling',
};
const OVER_TEXT: Record<(typeof OVER_BUDGET_BEHAVIOURS)[number], string> = {
  decline: 'Decline the purchase',
  ask: 'Ask me',
};
const MODE_TEXT: Record<(typeof MODES)[number], string> = {
  live: 'Live (real money)',
  test: 'Test (sandbox money)',
};

/**
 * Create an agent, or edit its policy, in a dialog. The form is checked with the very
 * schema the API checks it with (shared/schemas), so what it refuses the API would refuse;
 * what the API refuses anyway (a body too large, say) is shown as the API said it, in the
 * same place, next to the fields it names.
 */
export function PolicyFormDialog({
  agent,
  onClose,
  returnFocus,
}: {
  /** The agent whose policy to edit; none for a new agent. */
  agent?: AgentView;
  onClose(): void;
  /** Where focus goes when the opener is gone (the empty state's button, once created). */
  returnFocus?: () => HTMLElement | null;
}) {
  const editing = agent !== undefined;
  const create = useAgents((s) => s.create);
  const savePolicy = useAgents((s) => s.savePolicy);
  const [draft, setDraft] = useState<PolicyDraft>(() => draftOf(agent?.policy, agent));
  const [errors, setErrors] = useState<FormErrors | null>(null);
  const [saving, setSaving] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const summaryId = useId();
  const idBase = useId();
  const idOf = (field: DraftField) => `${idBase}-${field}`;

  const set = <K extends DraftField>(field: K, value: PolicyDraft[K]) =>
    setDraft((d) => ({ ...d, [field]: value }));

  const focusFirstError = (found: FormErrors) => {
    const first = ORDER.find((f) => found.fields[f] !== undefined);
    const target = first
      ? formRef.current?.querySelector<HTMLElement>(`#${CSS.escape(idOf(first))}`)
      : document.getElementById(summaryId);
    target?.focus();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = editing ? parsePolicyEdit(draft, agent.policy) : parseCreate(draft);
    if (!parsed.ok) {
      setErrors(parsed.errors);
      // After React has drawn the messages, so the screen reader reads the field's error.
      setTimeout(() => focusFirstError(parsed.errors), 0);
      return;
    }
    setSaving(true);
    const refused = editing
      ? await savePolicy(agent.id, parsed.body as Parameters<typeof savePolicy>[1])
      : await create(parsed.body as Parameters<typeof create>[0]);
    setSaving(false);
    if (refused) {
      setErrors(refused);
      setTimeout(() => focusFirstError(refused), 0);
      return;
    }
    onClose();
  };

  const field = (name: DraftField, control: Control, hint?: string) => {
    const error = errors?.fields[name];
    const hintId = hint ? `${idOf(name)}-hint` : undefined;
    const errorId = error ? `${idOf(name)}-error` : undefined;
    return (
      <div className={`form-field${error ? ' invalid' : ''}`} data-field={name}>
        <label htmlFor={idOf(name)}>{FIELD_LABEL[name]}</label>
        {control(
          {
            id: idOf(name),
            'aria-invalid': error ? true : undefined,
            'aria-describedby': [errorId, hintId].filter(Boolean).join(' ') || undefined,
          },
          name,
        )}
        {hint && (
          <p className="form-hint" id={hintId}>
            {hint}
          </p>
        )}
        {error && (
          <p className="field-error" id={errorId}>
            {error}
          </p>
        )}
      </div>
    );
  };
  // The controls a field shows, each handed the field's name and ids by `field`.
  const text =
    (options: { decimal?: boolean; placeholder?: string } = {}): Control =>
    (props, name) => (
      <input
        {...props}
        type="text"
        inputMode={options.decimal ? 'decimal' : 'numeric'}
        autoComplete="off"
        placeholder={options.placeholder}
        value={draft[name] as string}
        onChange={(e) => set(name, e.target.value)}
      />
    );
  const money =
    (placeholder?: string): Control =>
    (props, name) => (
      <span className="money-input">
        <span aria-hidden="true">$</span>
        {text({ decimal: true, placeholder })(props, name)}
      </span>
    );
  const list =
    (placeholder: string): Control =>
    (props, name) => (
      <textarea
        {...props}
        rows={3}
        spellCheck={false}
        placeholder={placeholder}
        value={draft[name] as string}
        onChange={(e) => set(name, e.target.value)}
      />
    );
  const check = (name: DraftField, label: string) => {
    const error = errors?.fields[name];
    return (
      <div className={`form-check${error ? ' invalid' : ''}`} data-field={name}>
        <input
          id={idOf(name)}
          type="checkbox"
          checked={draft[name] as boolean}
          onChange={(e) => set(name, e.target.checked)}
          aria-invalid={error ? true : undefined}
        />
        <label htmlFor={idOf(name)}>{label}</label>
        {error && <p className="field-error">{error}</p>}
      </div>
    );
  };
  const select =
    <T extends string>(options: Record<T, string>): Control =>
    (props, name) => (
      <select
        {...props}
        value={draft[name] as string}
        onChange={(e) => set(name, e.target.value as PolicyDraft[typeof name])}
      >
        {(Object.keys(options) as T[]).map((value) => (
          <option key={value} value={value}>
            {options[value]}
          </option>
        ))}
      </select>
    );

  const title = editing ? <>Policy for {visible(agent.name)}</> : 'New agent';
  return (
    <Dialog title={title} onClose={onClose} className="policy-dialog" returnFocus={returnFocus}>
      <form ref={formRef} onSubmit={(e) => void submit(e)} noValidate>
        {errors && errors.summary && (
          <div className="banner error" role="alert" id={summaryId} tabIndex={-1}>
            {errors.summary}
          </div>
        )}
        {!editing && (
          <div className="form-row">
            {field('name', (props) => (
              <input
                {...props}
                type="text"
                autoComplete="off"
                data-autofocus
                placeholder="research-bot"
                value={draft.name}
                onChange={(e) => set('name', e.target.value)}
              />
            ))}
            {field('mode', select(MODE_TEXT))}
          </div>
        )}
        <fieldset>
          <legend>Budget</legend>
          <div className="form-row">
            {field('budget', money('0.00'), '0 means the agent can spend nothing.')}
            {field('period', select(PERIOD_TEXT))}
            {field(
              'window',
              select(WINDOW_TEXT),
              'Calendar: from midnight, Monday, the 1st. Rolling: the last 24 h, 7 d, 30 d.',
            )}
          </div>
          <div className="form-row">
            {field('over_budget', select(OVER_TEXT), 'When a purchase would go over.')}
          </div>
          {check('pause_on_over_budget', 'Pause the agent when a receipt puts it over a limit')}
          <div className="form-row">
            {field(
              'alert_levels',
              (props, name) => (
                <input
                  {...props}
                  type="text"
                  autoComplete="off"
                  placeholder="none"
                  value={draft[name] as string}
                  onChange={(e) => set(name, e.target.value)}
                />
              ),
              'Percents of the budget, like 80, 100: you are told once per period when spend reaches each. Empty for no alerts.',
            )}
          </div>
        </fieldset>
        <fieldset>
          <legend>Each purchase</legend>
          <div className="form-row">
            {field('max_transaction', money('no limit'), 'Larger ones are declined.')}
            {field('approval_threshold', money('never'), 'At or above this, you approve it.')}
          </div>
          {check('ask_on_new_merchant', 'Ask me before its first purchase at a new merchant')}
        </fieldset>
        <fieldset>
          <legend>Merchants</legend>
          <div className="form-row">
            {field('allow_merchants', list('aws\n*.openai.com'), 'One per line; empty allows any.')}
            {field('deny_merchants', list('casino.example'), 'One per line.')}
            {field('allowed_categories', list('compute'), 'One per line; empty allows any.')}
          </div>
        </fieldset>
        <fieldset>
          <legend>Payouts</legend>
          {check('ask_on_new_recipient', 'Ask me before its first payout to an address')}
          <div className="form-row">
            {field('allow_recipients', list('0x…'), 'Addresses, one per line; empty allows any.')}
            {field('deny_recipients', list('0x…'), 'Addresses, one per line.')}
          </div>
        </fieldset>
        <fieldset>
          <legend>Pace</legend>
          <div className="form-row">
            {field(
              'velocity_per_hour',
              text({ placeholder: 'no limit' }),
              'Most approved purchases in any hour.',
            )}
            {field('rate_limit_per_minute', text(), 'API requests per minute, per key.')}
          </div>
          <div className="form-row">
            {field(
              'max_pending',
              text(),
              'Requests that may wait for you at once; past it, one that would ask is declined.',
            )}
          </div>
        </fieldset>
        <DialogActions onCancel={onClose} busy={saving}>
          {saving ? 'Saving…' : editing ? 'Save policy' : 'Create agent'}
        </DialogActions>
      </form>
    </Dialog>
  );
}

/** A field's control, drawn with the field's ids and bound to its draft value by name. */
type Control = (props: ControlProps, name: DraftField) => ReactNode;

interface ControlProps {
  id: string;
  'aria-invalid'?: boolean;
  'aria-describedby'?: string;
}
