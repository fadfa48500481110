// `npm run relay -- [--port 3000] [--key CONTROL_KEY] [--webhook-key HMAC_KEY] [--api-key KEY] [--host 127.0.0.1]`:
// WAHA's presence API on this machine, forwarded to the operator's browser;
// prints every request, connection and webhook.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { startRelay } from './relay.mjs';

const USAGE = 'Usage: npm run relay -- [--port 3000] [--key CONTROL_KEY] [--webhook-key HMAC_KEY] [--api-key KEY] [--host 127.0.0.1]';
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '3000' },
    host: { type: 'string', default: '127.0.0.1' },
    key: { type: 'string' },
    'webhook-key': { type: 'string' },
    'api-key': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a port number, got "${values.port}"\n${USAGE}`);
  process.exit(2);
}
// Without a key nothing could connect; a fresh one printed here is one less step.
const controlKey = values.key ?? randomBytes(18).toString('base64url');

const time = () => new Date().toISOString();
const relay = await startRelay({
  port,
  host: values.host,
  controlKey,
  webhookKey: values['webhook-key'],
  apiKey: values['api-key'],
  onEvent(event) {
    if (event.type === 'connected') console.log(`${time()} session '${event.session}' connected (extension ${event.version})`);
    if (event.type === 'disconnected') console.log(`${time()} session '${event.session}' disconnected: ${event.code}${event.reason ? ` ${event.reason}` : ''}`);
    if (event.type === 'refused') console.log(`${time()} control connection refused: ${event.code}${event.reason ? ` ${event.reason}` : ''}`);
    if (event.type === 'api') {
      const { method, path, forwarded, status, body } = event.exchange;
      const via = forwarded ? ` → ${forwarded.op} ${JSON.stringify(forwarded.params)}` : '';
      console.log(`${time()} ${method} ${path}${via} → ${status}`);
      if (body !== undefined) console.log(`  ${JSON.stringify(body)}`);
    }
    if (event.type === 'webhook') {
      const { body, raw, hmacValid, status } = event.webhook;
      const hmac = hmacValid === null ? '' : hmacValid ? ' hmac ok' : ' HMAC INVALID';
      if (!body) console.log(`${time()} webhook: non-JSON body (${raw.length} bytes) → ${status}`);
      else console.log(`${time()} webhook ${body.event} ${body.id}${hmac} → ${status}\n  ${JSON.stringify(body.payload)}`);
    }
  },
}).catch((error) => {
  console.error(`Cannot listen on ${values.host}:${port}: ${error.message}`);
  process.exit(1);
});

console.log(`Relay listening on ${relay.url}`);
console.log(`  Control URL (extension's options):  ${relay.wsUrl}`);
console.log(`  Control key:                        ${values.key ? '(the one given with --key)' : `${controlKey}  (generated: pass --key to choose one)`}`);
console.log(`  WAHA presence API:                  ${relay.url}/api/{session}/presence …${values['api-key'] ? ' (needs X-Api-Key)' : ''}`);
console.log(`  Webhook URL:                        ${relay.webhookUrl}${values['webhook-key'] ? ' (checking HMAC)' : ''}`);
if (!LOOPBACK.has(values.host) && !values['api-key']) {
  console.log(`Warning: ${values.host} is not loopback and no --api-key is set: anyone who reaches it can set the operator's presence.`);
}
console.log('Ctrl+C to stop.');
const stop = () => relay.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
