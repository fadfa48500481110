// `npm run demo`: the built extension in Chromium against the simulated
// WhatsApp Web and a local receiver, playing a short scene, printing each
// webhook as it arrives. No WhatsApp account needed. Headless without a display.
import { execFileSync } from 'node:child_process';
import { startReceiver } from './receiver/receiver.mjs';
import { fixtures, startWhatsAppSim } from './sim/server.mjs';
import { ROOT, configureWebhooks, launchWithExtension, testWebhook, waitForHook } from './support/extension-browser.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const started = Date.now();
const clock = () => `+${((Date.now() - started) / 1000).toFixed(2)}s`.padStart(8);

console.log('Building the extension (test flavour, allowed to post to 127.0.0.1)…');
execFileSync('npm', ['run', '--silent', 'build:test'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });

const sim = await startWhatsAppSim();
const receiver = await startReceiver({
  hmacKey: 'demo-secret',
  respond(request) {
    const { event, payload } = request.body ?? {};
    const detail =
      event === 'presence.update'
        ? payload.presences.map((p) => `${p.participant} ${p.lastKnownPresence}${p.lastSeen ? ` (last seen ${new Date(p.lastSeen * 1000).toISOString()})` : ''}`).join(', ')
        : JSON.stringify(payload);
    console.log(`${clock()}  webhook  ${event}  chat ${payload?.id ?? payload?.chatId ?? ''}  ${detail}  [hmac ${request.hmacValid ? 'ok' : 'BAD'}]`);
    return 200;
  },
});
const headless = !process.env.DISPLAY;
const browser = await launchWithExtension(sim.chromiumArgs, { headless });
let exitCode = 0;
try {
  await configureWebhooks(browser.worker, [testWebhook(receiver.url, { hmacKey: 'demo-secret' })]);
  const page = await browser.context.newPage();
  await page.goto('https://web.whatsapp.com/');
  await sim.waitForPage(15_000);
  await waitForHook(browser.worker, 'stanzaTap');
  console.log(`${clock()}  WhatsApp Web (simulated) is up; the hook is live. Webhooks go to ${receiver.url}`);

  const alice = fixtures.contacts.alice;
  const scene = [
    ['Alice comes online', () => sim.online('alice')],
    ['Alice starts typing', () => sim.typing('alice')],
    ['Alice pauses', () => sim.paused('alice')],
    ['Bob records a voice note in "Sales team"', () => sim.recording('group', { participant: 'bob' })],
    ['Alice goes offline', () => sim.offline('alice', { last: Math.floor(Date.now() / 1000) })],
  ];
  for (const [line, act] of scene) {
    console.log(`${clock()}  scene    ${line}`);
    act();
    await sleep(700);
  }
  const presence = receiver.requests.filter((r) => r.body?.event === 'presence.update');
  console.log(`\n${presence.length} presence.update webhooks received (expected ${scene.length}); Alice is ${alice.phone}.`);
  if (presence.length !== scene.length) exitCode = 1;
} catch (error) {
  console.error('Demo failed:', error);
  exitCode = 1;
} finally {
  await browser.close();
  await Promise.all([sim.close(), receiver.close()]);
}
process.exit(exitCode);
