// The live event stream (GET /api/v1/events/stream, Server-Sent Events) read with fetch, so that the token goes in
// the Authorization header (EventSource cannot send one, and a token in the URL would end up in logs). Reconnects
// with Last-Event-ID, as EventSource would, so no event is missed or repeated.
import * as session from './session.js';

/**
 * Opens the stream with the given filters; onEvent(cloudEvent) for each event, onOpen() once the server reads from
 * its position (the "connected" comment). Returns a function that closes it.
 */
export function watch(query, onEvent, onOpen = () => {}, onTrouble = () => {}) {
  const controller = new AbortController();
  let lastId = null;
  let stopped = false;
  let opened = false;

  async function run() {
    let backoff = 500;
    while (!stopped) {
      const s = session.current();
      if (!s) return onTrouble('signed out');
      try {
        const headers = { Accept: 'text/event-stream', Authorization: 'Bearer ' + s.accessToken };
        if (lastId) headers['Last-Event-ID'] = lastId;
        const r = await fetch('/api/v1/events/stream?' + new URLSearchParams(query),
          { headers, signal: controller.signal, credentials: 'omit', cache: 'no-store' });
        if (r.status === 401 && !(await session.refresh())) return onTrouble('signed out');
        if (!r.ok || !r.body) throw new Error('stream answered ' + r.status);
        backoff = 500;
        const reader = r.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end;
          while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
            handle(block);
          }
        }
      } catch (e) {
        if (stopped) return;
        onTrouble(String(e.message || e));
      }
      if (stopped) return;
      await new Promise(res => setTimeout(res, backoff));
      backoff = Math.min(backoff * 2, 10000);
    }
  }

  function handle(block) {
    let data = '', id = null;
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith(':')) {
        if (line.slice(1).trim() === 'connected' && !opened) { opened = true; onOpen(); }
        continue;
      }
      const i = line.indexOf(':');
      const field = i < 0 ? line : line.slice(0, i);
      const value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
      if (field === 'data') data += (data ? '\n' : '') + value;
      else if (field === 'id') id = value;
    }
    if (id) lastId = id;
    if (data) {
      try { onEvent(JSON.parse(data)); } catch (e) { /* not an event we can read */ }
    }
  }

  run();
  return () => { stopped = true; controller.abort(); };
}
