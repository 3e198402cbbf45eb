// One request, live: its state follows the event stream (accepted, provisioning, ready or failed with the reason and
// the message) without a reload.
import { h, clear, state, time, facts, notice, link, enc, announce, put } from '../dom.js';
import * as api from '../api.js';
import { watch } from '../events.js';

const TERMINAL = ['READY', 'FAILED', 'DELETED'];

function resourceLink(r) {
  if (r.kind === 'TOPIC') return link(`#/topics/${enc(r.cluster)}/${enc(r.name)}`, `topic ${r.name} on ${r.cluster}`);
  return link(`#/instances/${enc(r.name)}`, `instance ${r.name}`);
}

export async function page(main, ctx, id) {
  ctx.title('Request ' + id.slice(0, 8));
  const body = h('div', { id: 'request' });
  const live = h('p', { id: 'live', class: 'hint' }, 'Connecting to the live stream\u2026');
  put(main, h('h1', {}, 'Request'), live, body);
  let current = null;
  const seen = new Set();

  const draw = (r) => {
    current = r;
    const history = r.history || [];
    put(clear(body), 
      h('p', { class: 'big' }, 'State: ', h('strong', { id: 'request-state', 'data-state': r.state }, state(r.state))),
      r.state === 'FAILED' ? notice(`${r.reason || 'FAILED'}: ${r.message || ''}`, true) : null,
      r.state === 'AWAITING_APPROVAL' ? notice('It waits for approval; it starts once enough approvers have said yes.') : null,
      facts([['What', `${r.operation} of ${r.kind === 'TOPIC' ? 'topic' : 'instance'}`], ['Resource', resourceLink(r)],
        ['Team', (r.spec && r.spec.owner) || (r.instance && r.instance.owner)],
        ['Asked by', r.requestedBy ? (r.requestedBy.name || r.requestedBy.subject) : null],
        ['Accepted', time(r.acceptedAt)], ['Updated', time(r.updatedAt)], ['Id', h('code', {}, r.requestId)]]),
      h('h2', {}, 'Steps'),
      h('ol', { class: 'timeline', id: 'timeline' }, history.map(t => h('li', {}, state(t.state), ' ', time(t.time)))),
      r.state === 'READY' ? h('p', {}, 'Ready: ', resourceLink(r), ' can be used now.') : null);
  };

  const pending = []; // events that came before the first state: applied on top of it
  const apply = (event) => {
    const data = event.data || {};
    if (data.requestId !== id || seen.has(event.id)) return;
    if (!current) { pending.push(event); return; }
    seen.add(event.id);
    const s = (data.state || '').toUpperCase();
    if (!s) return;
    // the state read from the API may already be newer than an event that was on its way
    const at = Date.parse(data.time || event.time);
    if (current.history && current.history.some(t => t.state === s) && at <= Date.parse(current.updatedAt)) return;
    const history = [...(current.history || [])];
    if (!history.some(t => t.state === s)) history.push({ state: s, time: data.time || event.time });
    draw({ ...current, state: s, history, updatedAt: data.time || event.time,
      reason: data.reason || current.reason, message: data.message || current.message });
    announce('The request is now ' + s.toLowerCase().replaceAll('_', ' ') + (data.message ? ': ' + data.message : ''));
  };

  // the stream first, then the state: an event between the two cannot be missed (a repeat is recognised by its id)
  let opened = false;
  const stop = watch({ requestId: id }, apply, async () => {
    opened = true;
    live.textContent = 'Live: this page follows the request as it happens.';
    try {
      const r = await api.get('/api/v1/requests/' + enc(id));
      if (!current || TERMINAL.includes(r.state) || (r.history || []).length >= (current.history || []).length) draw(r);
      pending.splice(0).forEach(apply);
    } catch (e) {
      put(clear(body), notice(e.status === 404 ? 'No such request (or not one of your teams\').' : e.message, true));
    }
  }, (trouble) => {
    if (!current) api.get('/api/v1/requests/' + enc(id)).then(r => { draw(r); pending.splice(0).forEach(apply); }, () => {});
    live.textContent = opened ? 'Reconnecting to the live stream\u2026 (' + trouble + ')' : 'The live stream is not available: ' + trouble;
  });
  return stop;
}
