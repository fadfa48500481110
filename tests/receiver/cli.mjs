// `npm run receiver -- [--port 8787] [--key SECRET]`: prints every webhook it gets.
import { parseArgs } from 'node:util';
import { startReceiver } from './receiver.mjs';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8787' },
    key: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log('Usage: npm run receiver -- [--port 8787] [--key HMAC_SECRET]');
  process.exit(0);
}
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a port number, got "${values.port}"`);
  process.exit(2);
}

const receiver = await startReceiver({
  port,
  hmacKey: values.key,
  respond(request) {
    const body = request.body;
    const hmac = request.hmacValid === null ? '' : request.hmacValid ? ' hmac ok' : ' HMAC INVALID';
    if (!body) {
      console.log(`${new Date(request.at).toISOString()} non-JSON body (${request.raw.length} bytes)${hmac}`);
      return 400;
    }
    console.log(`${new Date(request.at).toISOString()} ${body.event} ${body.id}${hmac}`);
    console.log(JSON.stringify(body.payload));
    return request.hmacValid === false ? 401 : 200;
  },
}).catch((error) => {
  console.error(`Cannot listen on 127.0.0.1:${port}: ${error.message}`);
  process.exit(1);
});
console.log(`Webhook receiver listening on ${receiver.url}${values.key ? ' (checking HMAC)' : ''}`);
console.log('Set this URL in the extension\'s options. Ctrl+C to stop.');
const stop = () => receiver.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
