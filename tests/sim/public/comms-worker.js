// WhatsApp's backend worker, as far as comms go (WAWebCommsGating
// .isCommsInWorker() builds): it owns the socket. Each incoming frame is
// handed to the page (WAWebCommsBackendWorkerHandlers' startComms callback →
// sendAndReceive('mainthread_comms', 'handleStanza', {stanza})), except, when
// `handlers` is set, presence and chatstate stanzas: those are handled here,
// as the worker-ready handlers are written (WAWebHandleChatState →
// WAWebBackendApi.frontendFireAndForget('changePresenceHandler', {id, type,
// participant})), and only the resulting event reaches the page.
// Frames are acknowledged to the sim server once the page has handled them.
/* eslint-env worker */
'use strict';
importScripts('/static/codec.js');

let options = null;
let ws = null;
let frameNo = 0;
let tries = 0;
const pending = new Map(); // frame number → resolve, until the page has handled it

function toPage(message, transfer) {
  return new Promise((resolve) => {
    pending.set(message.n, resolve);
    postMessage(message, transfer || []);
  });
}

async function handleFrame(n, bytes) {
  if (options.handlers) {
    const node = await SimCodec.decodeFrame(bytes);
    let event = null;
    if (node.tag === 'presence') event = SimCodec.presenceEvent(SimCodec.parsePresence(node), options.migrated);
    else if (node.tag === 'chatstate') event = SimCodec.chatstateEvent(SimCodec.parseChatstate(node));
    if (node.tag === 'presence' || node.tag === 'chatstate') {
      // WAWebPresenceBridgeApi.changePresenceHandler takes {id, type, participant}.
      if (!event) return null;
      const args = { id: event.id, type: event.type };
      if (event.participant) args.participant = event.participant;
      return toPage({ type: 'event', n, name: 'changePresenceHandler', args });
    }
  }
  return toPage({ type: 'stanza', n, bytes }, [bytes.buffer]);
}

function connect() {
  let chain = Promise.resolve();
  frameNo = 0;
  ws = new WebSocket(options.url);
  ws.binaryType = 'arraybuffer';
  ws.onopen = () => { tries = 0; postMessage({ type: 'open' }); };
  ws.onclose = () => {
    postMessage({ type: 'close' });
    if (++tries <= 5) setTimeout(connect, options.reconnectDelayMs * tries);
  };
  ws.onmessage = (ev) => {
    if (typeof ev.data === 'string') return postMessage({ type: 'control', msg: JSON.parse(ev.data) });
    const n = ++frameNo;
    const bytes = new Uint8Array(ev.data);
    const socket = ws;
    chain = chain
      .then(() => handleFrame(n, bytes))
      .then((error) => (error ? String(error) : null), (err) => String(err))
      .then((error) => socket.readyState === 1 && socket.send(JSON.stringify({ type: 'ack', n, error })));
  };
}

onmessage = (ev) => {
  const m = ev.data;
  if (m.type === 'start') { options = m; connect(); }
  else if (m.type === 'send') { if (ws && ws.readyState === 1) ws.send(m.data); }
  else if (m.type === 'handled') { const done = pending.get(m.n); pending.delete(m.n); if (done) done(m.error); }
};
