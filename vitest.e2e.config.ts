import { defineConfig } from 'vitest/config';

// End-to-end tests: real Chromium with the built extension, the simulated
// WhatsApp Web and a real webhook receiver. One file at a time: each launches a
// browser, and the machines have two cores.
export default defineConfig({
  test: {
    include: ['tests/sim/**/*.test.ts', 'tests/e2e/**/*.test.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    globalSetup: ['tests/e2e/build-extension.ts'],
  },
});
