import { ConsoleApp } from './console/console-app.tsx';
import { ConsentPage } from './pages/consent-page.tsx';
import { HomePage } from './pages/home-page.tsx';
import { usePath } from './router.tsx';

export function App() {
  const { path, search } = usePath();
  const requestId = search.get('request');
  if (path === '/console' || path.startsWith('/console/')) return <ConsoleApp path={path} />;
  return (
    <main className="page">
      {path === '/consent' && requestId ? <ConsentPage requestId={requestId} /> : <HomePage />}
    </main>
  );
}
