// `pnpm compose:check`: docker-compose.yml passes a real Compose validator and names the documented services.
import { join } from 'node:path';
import { defineCommand, readCommandLine } from '@enginy/config/cli-args';
import { composeProblems, readCompose, validateWithCompose } from './compose.ts';
import { SCALE_PROFILE, scaleProblems } from './compose-scale.ts';
import { REPO_ROOT } from './processes.ts';

readCommandLine(
  defineCommand({
    usage: `Usage: pnpm compose:check

Validates docker-compose.yml with a real Compose validator (docker compose, or Debian's
docker-compose), also with --profile ${SCALE_PROFILE}, and checks that it defines the documented
services, replicas and balancer. Starts no container.
`,
    options: {},
  }),
);
const file = join(REPO_ROOT, 'docker-compose.yml');
const validation = validateWithCompose(file);
const scaleValidation = validateWithCompose(file, undefined, [SCALE_PROFILE]);
const problems = [...composeProblems(readCompose(file)), ...scaleProblems(readCompose(file))];
if (validation === undefined)
  problems.push('no Compose validator found: install Docker Compose (Debian: apt-get install docker-compose)');
for (const result of [validation, scaleValidation])
  if (result?.error !== undefined) problems.push(`${result.validator}: ${result.error}`);

if (problems.length > 0) {
  for (const problem of problems) process.stderr.write(`✗ ${problem}\n`);
  process.exit(1);
}
process.stdout.write(
  `✓ docker-compose.yml is valid (${validation?.validator}, and with --profile ${SCALE_PROFILE}) and defines the documented services, replicas and balancer\n`,
);
// The file requires a key and ships none; the validation above used a stand-in (compose.ts: validationEnv).
if (!process.env.TOKEN_HASH_KEY)
  process.stdout.write(
    '  docker compose up needs TOKEN_HASH_KEY: export TOKEN_HASH_KEY="$(openssl rand -base64 32)" (and keep it)\n',
  );
