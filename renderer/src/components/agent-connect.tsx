import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { formatCents } from '../../../shared/money';
import type { AgentView, ConnectClient } from '../../../shared/schemas/owner-api';
import { visible } from '../../../shared/text/visible';
import type { ConnectView } from '../api/client';
import { useConnect, type ConnectWatch } from '../stores/connect';
import { Dialog } from './agent-dialog';

/** The clients, in the order offered, with what each needs (docs/clients.md). */
const CLIENTS: { id: ConnectClient; name: string; what: string; config?: string }[] = [
  {
    id: 'claude-code',
    name: 'Claude Code',
    what: 'MCP, in your terminal',
    config: 'its user configuration, ~/.claude.json',
  },
  {
    id: 'claude-desktop',
    name: 'Claude Desktop',
    what: 'MCP, the desktop app',
    config: 'claude_desktop_config.json in its settings folder',
  },
  {
    id: 'cursor',
    name: 'Cursor',
    what: 'MCP, the editor',
    config: 'its global configuration, ~/.cursor/mcp.json',
  },
  { id: 'shell', name: 'Shell script', what: 'the agent CLI: purser spend' },
  { id: 'typescript', name: 'TypeScript', what: 'the typed client, purser/client' },
  { id: 'python', name: 'Python', what: 'the standard library only' },
  { id: 'container', name: 'Container', what: 'through the agent socket, no network' },
];

export const clientName = (id: ConnectClient) => CLIENTS.find((c) => c.id === id)?.name ?? id;

/** Where focus goes when the dialog's opener is gone: the agent's Connect button. */
const connectButtonOf = (agentId: string) => () =>
  document.querySelector<HTMLElement>(`[data-agent-id="${CSS.escape(agentId)}"] .connect-agent`);

type Copied = { what: string; ok: boolean } | null;

/**
 * Connect an agent to a client from the window: pick one, and Purser issues a key (shown
 * here once), writes the MCP client's configuration (the code of `purser mcp install`) or
 * shows the snippet to paste, then waits for the agent's first request and shows it as it
 * arrives and is decided.
 */
export function ConnectDialog({ agent }: { agent: AgentView }) {
  const dialog = useConnect((s) => s.dialog);
  const close = useConnect((s) => s.close);
  const answer = dialog?.answer ?? null;
  const name = visible(agent.name);
  return (
    <Dialog
      title={<>Connect {name}</>}
      onClose={close}
      className="connect-dialog"
      returnFocus={connectButtonOf(agent.id)}
    >
      {answer ? (
        <Connected agent={agent} answer={answer} onDone={close} />
      ) : (
        <ChooseClient agent={agent} />
      )}
    </Dialog>
  );
}

function ChooseClient({ agent }: { agent: AgentView }) {
  const connect = useConnect((s) => s.connect);
  const close = useConnect((s) => s.close);
  const busy = useConnect((s) => s.dialog?.busy ?? false);
  const error = useConnect((s) => s.dialog?.error ?? null);
  const [client, setClient] = useState<ConnectClient>('claude-code');
  const [write, setWrite] = useState(true);
  const chosen = CLIENTS.find((c) => c.id === client);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void connect(client, chosen?.config !== undefined && write);
  };
  return (
    <form onSubmit={submit}>
      <p>
        Purser issues {visible(agent.name)} a new spending key for this client and shows it once. It
        spends within this agent&apos;s policy, nothing more.
      </p>
      <fieldset className="connect-clients">
        <legend>Where the agent runs</legend>
        {CLIENTS.map((c, i) => (
          <label key={c.id} className="connect-client">
            <input
              type="radio"
              name="connect-client"
              value={c.id}
              checked={client === c.id}
              onChange={() => setClient(c.id)}
              {...(i === 0 && { 'data-autofocus': true })}
            />
            <span className="connect-client-name">{c.name}</span>
            <span className="connect-client-what">{c.what}</span>
          </label>
        ))}
      </fieldset>
      {chosen?.config !== undefined ? (
        <div className="form-check connect-write">
          <input
            id="connect-write"
            type="checkbox"
            checked={write}
            onChange={(e) => setWrite(e.target.checked)}
          />
          <label htmlFor="connect-write">
            Add Purser to {chosen.name}&apos;s configuration for me ({chosen.config})
          </label>
          <p className="form-hint">
            Everything else in the file is kept, and the previous file is saved beside it. Leave
            this off to get the entry to paste yourself.
          </p>
        </div>
      ) : (
        <p className="form-hint">You get the code to paste, with the key and address filled in.</p>
      )}
      {error && (
        <p className="banner error" role="alert">
          {error}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" className="secondary" onClick={close}>
          Cancel
        </button>
        <button type="submit" disabled={busy}>
          {busy ? 'Connecting…' : 'Connect'}
        </button>
      </div>
    </form>
  );
}

function Connected({
  agent,
  answer,
  onDone,
}: {
  agent: AgentView;
  answer: ConnectView;
  onDone(): void;
}) {
  const watch = useConnect((s) => s.watches[agent.id]);
  const [copied, setCopied] = useState<Copied>(null);
  const start = useRef<HTMLParagraphElement>(null);
  const baseId = useId();
  const name = clientName(answer.client);
  // The dialog's content changed under the focus: start reading from the outcome.
  useEffect(() => start.current?.focus(), []);
  const copy = async (what: string, text: string) => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied({ what, ok: true });
    } catch {
      setCopied({ what, ok: false });
    }
  };
  const config = answer.config;
  return (
    <div className="connect-result">
      <p className="connect-outcome" tabIndex={-1} ref={start}>
        {config?.written
          ? `Purser is now in ${name}'s configuration.`
          : config?.status === 'unchanged'
            ? `${name} is already connected to ${visible(agent.name)}.`
            : `Ready to connect ${name}: paste what follows.`}
      </p>
      {config?.written && (
        <p>
          Written to <code>{visible(config.path)}</code>
          {config.backup && (
            <>
              ; the previous file is kept as <code>{visible(config.backup)}</code>
            </>
          )}
          .
        </p>
      )}
      {answer.key && (
        <>
          <p className="banner warn key-warning" id={`${baseId}-warning`}>
            <strong>This is the only time Purser shows this key.</strong>{' '}
            {config?.written
              ? `It is in ${name}'s configuration already; copy it only if you need it elsewhere.`
              : 'It is in the code below; Purser keeps only a hash and cannot show it again.'}
          </p>
          <label htmlFor={`${baseId}-key`} className="connect-label">
            Spending key
          </label>
          <div className="key-copy">
            <input
              id={`${baseId}-key`}
              className="key-value"
              type="text"
              readOnly
              spellCheck={false}
              autoComplete="off"
              value={answer.key.key}
              aria-describedby={`${baseId}-warning`}
              onFocus={(e) => e.currentTarget.select()}
            />
            <button type="button" onClick={() => void copy('key', answer.key?.key ?? '')}>
              {copied?.what === 'key' && copied.ok ? 'Copied' : 'Copy key'}
            </button>
          </div>
        </>
      )}
      {answer.snippets.map((snippet, i) => (
        <section key={i} className="connect-snippet" aria-labelledby={`${baseId}-s${i}`}>
          <div className="connect-snippet-head">
            <h3 id={`${baseId}-s${i}`}>{visible(snippet.title)}</h3>
            <button
              type="button"
              className="secondary small"
              aria-label={`Copy ${visible(snippet.title)}`}
              onClick={() => void copy(`s${i}`, snippet.text)}
            >
              {copied?.what === `s${i}` && copied.ok ? 'Copied' : 'Copy'}
            </button>
          </div>
          <pre tabIndex={0} aria-labelledby={`${baseId}-s${i}`}>
            <code>{snippet.text}</code>
          </pre>
        </section>
      ))}
      <p className="key-copy-status" role="status">
        {copied?.ok && 'Copied to the clipboard.'}
        {copied && !copied.ok && 'Could not copy: select the text and press Ctrl+C (⌘C).'}
      </p>
      {answer.notes.length > 0 && (
        <ul className="connect-notes">
          {answer.notes.map((note) => (
            <li key={note}>{visible(note)}</li>
          ))}
        </ul>
      )}
      <FirstRequest watch={watch} clientName={name} />
      <div className="dialog-actions">
        <button type="button" className="secondary" onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}

const STATUS_WORDS = {
  approved: 'approved',
  declined: 'declined',
  needs_approval: 'waiting for your approval',
  expired: 'expired',
  cancelled: 'cancelled',
} as const;

/**
 * "Waiting for the first request…", which becomes that request when it arrives (a live
 * region: a screen reader hears it), and follows its decision.
 */
export function FirstRequest({
  watch,
  clientName,
}: {
  watch: ConnectWatch | undefined;
  clientName: string;
}) {
  const first = watch?.first ?? null;
  return (
    <div className="connect-live" role="status" data-first-request={first?.status ?? 'waiting'}>
      {first === null ? (
        <p>
          <span className="connect-pulse" aria-hidden="true" />
          Waiting for the first request from {clientName}…
        </p>
      ) : (
        <p>
          First request from {clientName}: <strong>{formatCents(first.amount_cents)}</strong> at{' '}
          {visible(first.merchant_name)}, {STATUS_WORDS[first.status]}
          {first.status === 'declined' && ` (${visible(first.decision_reason)})`}
          {first.status === 'needs_approval' && (
            <>
              {' '}
              — <a href="#/approvals">open Approvals</a>
            </>
          )}
          .
        </p>
      )}
    </div>
  );
}
