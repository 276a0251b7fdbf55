import { visible } from '../../../shared/text/visible';
import { useEffect } from 'react';
import { BudgetMeter } from '../components/budget-meter';
import { useAgents } from '../stores/agents';

export function AgentsPage() {
  const { agents, error, loading, load } = useAgents();
  useEffect(() => {
    void load();
  }, [load]);
  if (error) return <p role="alert">{error}</p>;
  if (loading && agents.length === 0) return <p>Loading…</p>;
  if (agents.length === 0)
    return <p>No agents yet. Create one with `purser agents create --name …`.</p>;
  return (
    <table>
      <thead>
        <tr>
          <th>Agent</th>
          <th>Mode</th>
          <th>Status</th>
          <th>Budget</th>
        </tr>
      </thead>
      <tbody>
        {agents.map((agent) => (
          <tr key={agent.id}>
            <td>
              {visible(agent.name)} <code>{agent.id}</code>
            </td>
            <td>{agent.mode}</td>
            <td>{agent.status}</td>
            <td>
              <BudgetMeter budget={agent.budget} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
