// `pnpm compose:check`: docker-compose.yml passes a real Compose validator and names the documented services.
import { join } from 'node:path';
import { composeProblems, readCompose, validateWithCompose } from './compose.ts';
import { REPO_ROOT } from './processes.ts';

const file = join(REPO_ROOT, 'docker-compose.yml');
const validation = validateWithCompose(file);
const problems = composeProblems(readCompose(file));
if (validation === undefined)
  problems.push('no Compose validator found: install Docker Compose (Debian: apt-get install docker-compose)');
else if (validation.error !== undefined) problems.push(`${validation.validator}: ${validation.error}`);

if (problems.length > 0) {
  for (const problem of problems) process.stderr.write(`✗ ${problem}\n`);
  process.exit(1);
}
process.stdout.write(`✓ docker-compose.yml is valid (${validation?.validator}) and defines the documented services\n`);
// The file requires a key and ships none; the validation above used a stand-in (compose.ts: validationEnv).
if (!process.env.TOKEN_HASH_KEY)
  process.stdout.write(
    '  docker compose up needs TOKEN_HASH_KEY: export TOKEN_HASH_KEY="$(openssl rand -base64 32)" (and keep it)\n',
  );
