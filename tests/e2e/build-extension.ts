// vitest globalSetup for end-to-end tests: builds the test flavour of the
// extension (which may POST to the loopback receiver without a prompt), for
// Chrome and Firefox, once per run. E2E_SKIP_BUILD=1 reuses the builds when
// the browser's one is there (scripts/test.sh: the Chromium stage just built both).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { isFirefox } from '../support/driver.mjs';
import { CHROME_BUILD, ROOT } from '../support/extension-browser.mjs';
import { FIREFOX_BUILD } from '../support/firefox-driver.mjs';

export default function setup() {
  if (process.env.E2E_SKIP_BUILD === '1' && existsSync(isFirefox ? FIREFOX_BUILD : CHROME_BUILD)) return;
  execFileSync('npm', ['run', '--silent', 'build:test'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
}
