// `npm run demo`: the built extension in Chromium against the simulated
// WhatsApp Web and a local receiver, playing a short scene, printing each
// webhook as it arrives. No WhatsApp account needed. Headless without a display.
import { execFileSync } from 'node:child_process';
import { fixtures } from './sim/server.mjs';
import { ROOT } from './support/extension-browser.mjs';
import { startStack } from './support/stack.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const started = Date.now();
const clock = () => `+${((Date.now() - started) / 1000).toFixed(2)}s`.padStart(8);

/** One line per webhook: who, what, in which chat. */
function describe(request) {
  const { event, payload } = request.body ?? {};
  const detail =
    event === 'presence.update'
      ? payload.presences
          .map((p) => `${p.participant} ${p.lastKnownPresence}${p.lastSeen ? ` (last seen ${new Date(p.lastSeen * 1000).toISOString()})` : ''}`)
          .join(', ')
      : JSON.stringify(payload);
  return `${clock()}  webhook  ${event}  chat ${payload?.id ?? ''}  ${detail}  [hmac ${request.hmacValid ? 'ok' : 'BAD'}]`;
}

console.log('Building the extension (test flavour, allowed to post to 127.0.0.1)…');
execFileSync('npm', ['run', '--silent', 'build:test'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });

const stack = await startStack({
  hmacKey: 'demo-secret',
  headless: !process.env.DISPLAY,
  respond: (request) => (console.log(describe(request)), 200),
});
let exitCode = 0;
try {
  await stack.openWhatsApp();
  console.log(`${clock()}  WhatsApp Web (simulated) is up; the hook is live. Webhooks go to ${stack.receiver.url}`);
  const { sim } = stack;
  const scene = [
    ['Alice comes online', () => sim.online('alice')],
    ['Alice starts typing', () => sim.typing('alice')],
    ['Alice pauses', () => sim.paused('alice')],
    ['Bob records a voice note in "Sales team"', () => sim.recording('group', { participant: 'bob' })],
    ['Alice goes offline', () => sim.offline('alice', { last: Math.floor(Date.now() / 1000) })],
  ];
  for (const [line, act] of scene) {
    console.log(`${clock()}  scene    ${line}`);
    await act();
    await sleep(700);
  }
  const received = stack.receiver.requests.filter((r) => r.body?.event === 'presence.update').length;
  console.log(`\n${received} presence.update webhooks received (expected ${scene.length}); Alice is ${fixtures.contacts.alice.phone}.`);
  if (received !== scene.length) exitCode = 1;
} catch (error) {
  console.error('Demo failed:', error);
  exitCode = 1;
} finally {
  await stack.close();
}
process.exit(exitCode);
