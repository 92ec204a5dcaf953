import { ConsentPage } from './pages/consent-page.tsx';
import { HomePage } from './pages/home-page.tsx';
import { usePath } from './router.tsx';

export function App() {
  const { path, search } = usePath();
  const requestId = search.get('request');
  return <main className="page">{path === '/consent' && requestId ? <ConsentPage requestId={requestId} /> : <HomePage />}</main>;
}
