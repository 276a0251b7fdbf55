import { useEffect, useState } from 'react';
import { OwnerApi } from './api/client';
import { AgentsPage } from './pages/agents-page';

export function App() {
  const [api, setApi] = useState<OwnerApi | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    OwnerApi.connect().then(setApi, (e: unknown) => setError(String(e)));
  }, []);
  return (
    <main>
      <header>
        <h1>Purser</h1>
      </header>
      {error && <p role="alert">{error}</p>}
      {api && <AgentsPage api={api} />}
    </main>
  );
}
