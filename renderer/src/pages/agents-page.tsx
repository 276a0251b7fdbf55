import { useEffect, useState } from 'react';
import { AgentCard } from '../components/agent-card';
import { KeyRevealDialog } from '../components/agent-keys';
import { DismissableError } from '../components/dismissable-error';
import { PolicyFormDialog } from '../components/policy-form';
import { useAgents } from '../stores/agents';
import { useWallet } from '../stores/wallet';
import { useNow } from '../hooks/use-now';
import './agents-page.css';

const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

/**
 * Agents: one card per agent (budget meter with reset and forecast, spend chart, status,
 * keys), creating agents and editing their policies, issuing, rotating and revoking keys,
 * pausing and resuming. Spends made elsewhere move the meters as they happen.
 */
export function AgentsPage() {
  const agents = useAgents((s) => s.agents);
  const keys = useAgents((s) => s.keys);
  const usage = useAgents((s) => s.usage);
  const error = useAgents((s) => s.error);
  const loading = useAgents((s) => s.loading);
  const actionError = useAgents((s) => s.actionError);
  const reveal = useAgents((s) => s.reveal);
  const load = useAgents((s) => s.load);
  const dismiss = useAgents((s) => s.dismiss);
  const closeReveal = useAgents((s) => s.closeReveal);
  const settings = useWallet((s) => s.settings);
  const timeZone = settings?.time_zone ?? browserZone();
  const frozen = settings?.frozen ?? false;
  const now = useNow(15_000);
  const [creating, setCreating] = useState(false);

  useEffect(() => {
    void load();
  }, [load]);

  // Leaving the page drops a key still on show: it is never kept for later.
  useEffect(() => () => useAgents.getState().closeReveal(), []);

  const newAgent = (
    <button type="button" className="new-agent" onClick={() => setCreating(true)}>
      New agent
    </button>
  );
  return (
    <section className="agents" aria-labelledby="agents-heading">
      <div className="agents-head">
        <h2 id="agents-heading">Agents</h2>
        {agents.length > 0 && newAgent}
      </div>
      {error && (
        <p className="banner error" role="alert">
          {error}{' '}
          <button type="button" className="secondary small" onClick={() => void load()}>
            Try again
          </button>
        </p>
      )}
      {actionError && <DismissableError message={actionError} onDismiss={dismiss} />}
      {loading && agents.length === 0 && !error && <p className="empty">Loading…</p>}
      {!loading && !error && agents.length === 0 && (
        <div className="empty next agents-empty">
          <p>
            <strong>No agents yet.</strong> An agent is a program that spends through Purser, within
            a budget and the limits you set.
          </p>
          <ol>
            <li>Create one with a name and a budget.</li>
            <li>Issue it a key: Purser shows the key once, to copy.</li>
            <li>
              Give the agent that key as <code>PURSER_KEY</code>; its spending shows up here as it
              happens.
            </li>
          </ol>
          {newAgent}
        </div>
      )}
      {agents.map((agent) => (
        <AgentCard
          key={agent.id}
          agent={agent}
          keys={keys[agent.id]}
          usage={usage[agent.id]}
          now={now}
          timeZone={timeZone}
          frozen={frozen}
        />
      ))}
      {creating && (
        <PolicyFormDialog
          onClose={() => setCreating(false)}
          returnFocus={() => document.querySelector<HTMLElement>('.agents-head .new-agent')}
        />
      )}
      {reveal && <KeyRevealDialog key={reveal.key.id} reveal={reveal} onClose={closeReveal} />}
    </section>
  );
}
