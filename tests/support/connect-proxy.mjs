// A tiny HTTP CONNECT proxy for Firefox, which has no host-resolver rules: the
// browser sends every https/wss request to it, and it tunnels
// web.whatsapp.com:443 to the simulator's random port. Everything else is
// refused (403), so a test browser reaches nothing but the simulator, and two
// suites never fight over port 443.
import { createServer, connect } from 'node:net';

/**
 * @param {Record<string, number>} routes `host:port` → loopback port, e.g. {'web.whatsapp.com:443': 40123}
 * @returns {Promise<{port: number, close: () => Promise<void>}>}
 */
export async function startConnectProxy(routes) {
  /** @type {Set<import('node:net').Socket>} */
  const sockets = new Set();
  const server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    let head = Buffer.alloc(0);
    const onData = (chunk) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return head.length > 16_384 ? client.destroy() : undefined;
      client.off('data', onData);
      const [method, target] = head.subarray(0, end).toString('latin1').split('\r\n')[0].split(' ');
      const port = method === 'CONNECT' ? routes[target?.toLowerCase()] : undefined;
      if (!port) return void client.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
      const upstream = connect(port, '127.0.0.1');
      sockets.add(upstream);
      upstream.on('close', () => { sockets.delete(upstream); client.destroy(); });
      upstream.on('error', () => client.destroy());
      client.on('close', () => upstream.destroy());
      upstream.once('connect', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        const rest = head.subarray(end + 4);
        if (rest.length) upstream.write(rest);
        client.pipe(upstream);
        upstream.pipe(client);
      });
    };
    client.on('data', onData);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(undefined));
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(() => resolve(undefined)));
    },
  };
}
