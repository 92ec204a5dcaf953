import { useEffect, useState } from 'react';

type State = 'checking' | 'ready' | 'unavailable';

const SERVICES = [
  { name: 'OpenAPI service', path: '/api/openapi/readyz' },
  { name: 'API OAuth routes', path: '/api/auth/readyz' },
] as const;

async function probe(path: string): Promise<State> {
  try {
    const response = await fetch(path, { cache: 'no-store' });
    return response.ok ? 'ready' : 'unavailable';
  } catch {
    return 'unavailable';
  }
}

/** Live readiness of the two services (each checks its database), refreshed every 5 s. */
export function StackStatus() {
  const [states, setStates] = useState<State[]>(SERVICES.map(() => 'checking'));

  useEffect(() => {
    let cancelled = false;
    const refresh = async () => {
      const next = await Promise.all(SERVICES.map((service) => probe(service.path)));
      if (!cancelled) setStates(next);
    };
    void refresh();
    const timer = setInterval(refresh, 5_000);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, []);

  return (
    <section aria-labelledby="status-heading">
      <h2 id="status-heading">Stack status</h2>
      <ul className="status-list">
        {SERVICES.map((service, index) => (
          <li key={service.path} data-state={states[index]}>
            <span className="dot" aria-hidden="true" />
            {service.name}: <strong>{states[index]}</strong>
          </li>
        ))}
      </ul>
    </section>
  );
}
