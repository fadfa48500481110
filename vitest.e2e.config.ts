import { defineConfig } from 'vitest/config';

// End-to-end tests: a real browser with the built extension, the simulated
// WhatsApp Web and a real webhook receiver; E2E_BROWSER=chromium (default) or
// firefox picks the browser (tests/support/driver.mjs). One file at a time:
// each launches a browser, and the machines have two cores. The simulator's
// own tests (tests/sim) check the simulator, not the extension: Chromium runs only.
const firefox = process.env.E2E_BROWSER === 'firefox';
export default defineConfig({
  test: {
    include: [...(firefox ? [] : ['tests/sim/**/*.test.ts']), 'tests/e2e/**/*.test.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    globalSetup: ['tests/e2e/build-extension.ts'],
  },
});
