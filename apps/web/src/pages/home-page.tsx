import { KNOWN_CLIENTS, knownClient } from '@enginy/config/known-clients';
import { Link } from '../router.tsx';
import { mcpUrl } from '../runtime-config.ts';
import { StackStatus } from '../stack-status.tsx';

const claudeCode = knownClient('claude-code');
const others = KNOWN_CLIENTS.filter((client) => client !== claudeCode).map((client) => client.name);

export function HomePage() {
  const [add] = claudeCode.setup(mcpUrl()).commands;
  return (
    <>
      <header>
        <h1>Enginy Local</h1>
        <p className="lead">Enginy's hosted MCP server behind OAuth, on this machine.</p>
      </header>
      <StackStatus />
      <section aria-labelledby="connect-heading">
        <h2 id="connect-heading">Connect {claudeCode.name}</h2>
        <pre className="command">{add}</pre>
        <p>
          <Link to="/console/connect">Open the console</Link> for the other tested clients ({others.join(', ')}), to set
          up the workspace's MCP settings, watch connections arrive and read every authorization attempt.
        </p>
      </section>
    </>
  );
}
