import { Link } from '../router.tsx';
import { StackStatus } from '../stack-status.tsx';

export function HomePage() {
  return (
    <>
      <header>
        <h1>Enginy Local</h1>
        <p className="lead">Enginy's hosted MCP server behind OAuth, on this machine.</p>
      </header>
      <StackStatus />
      <section aria-labelledby="connect-heading">
        <h2 id="connect-heading">Connect Claude Code</h2>
        <pre className="command">claude mcp add --transport http --callback-port 3118 enginy {__ENGINY_MCP_URL__}</pre>
        <p>
          <Link to="/console/connect">Open the console</Link> to set up the workspace's MCP settings, watch connections arrive and read every authorization attempt.
        </p>
      </section>
    </>
  );
}
