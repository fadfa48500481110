// vitest globalSetup for end-to-end tests: builds the test flavour of the
// extension (which may POST to the loopback receiver without a prompt) once per run.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { CHROME_BUILD, ROOT } from '../support/extension-browser.mjs';

export default function setup() {
  if (process.env.E2E_SKIP_BUILD === '1' && existsSync(CHROME_BUILD)) return;
  execFileSync('npm', ['run', '--silent', 'build:test'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
}
