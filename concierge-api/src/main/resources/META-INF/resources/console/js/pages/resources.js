// My team's topics and instances: lists with filters, and each one's details, history and how to connect.
import { h, clear, state, time, table, facts, notice, link, enc, announce, put } from '../dom.js';
import * as api from '../api.js';

const STATES = ['', 'ACCEPTED', 'AWAITING_APPROVAL', 'PROVISIONING', 'UPDATING', 'DELETING', 'DEGRADED', 'READY', 'FAILED', 'DELETED'];

function filterForm(ctx, fields, onChange) {
  const teams = (ctx.me.teams || []);
  const controls = [];
  const owner = h('select', { id: 'filter-owner', name: 'owner' }, h('option', { value: '' }, teams.length ? 'All my teams' : 'All teams'),
    teams.map(t => h('option', { value: t }, t)));
  controls.push(h('div', {}, h('label', { for: 'filter-owner' }, 'Team'), owner));
  if (fields.includes('cluster')) {
    controls.push(h('div', {}, h('label', { for: 'filter-cluster' }, 'Cluster'),
      h('input', { id: 'filter-cluster', name: 'cluster', type: 'text', autocomplete: 'off' })));
  }
  controls.push(h('div', {}, h('label', { for: 'filter-state' }, 'State'),
    h('select', { id: 'filter-state', name: 'state' }, STATES.map(s => h('option', { value: s }, s ? s.replaceAll('_', ' ') : 'Any state')))));
  controls.push(h('div', {}, h('label', { for: 'filter-name' }, 'Name contains'),
    h('input', { id: 'filter-name', name: 'name', type: 'search', autocomplete: 'off' })));
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter' }, controls,
    h('div', {}, h('button', { type: 'submit' }, 'Filter')));
  form.addEventListener('submit', (e) => { e.preventDefault(); onChange(Object.fromEntries(new FormData(form))); });
  form.addEventListener('change', () => onChange(Object.fromEntries(new FormData(form))));
  return form;
}

function query(filters, keys) {
  const q = new URLSearchParams({ size: '500' });
  for (const k of keys) if (filters[k]) q.set(k, filters[k]);
  return q;
}

export async function topics(main, ctx) {
  ctx.title('Topics');
  const results = h('div', { id: 'results', 'aria-live': 'polite' });
  const load = async (filters = {}) => {
    const page = await api.get('/api/v1/topics?' + query(filters, ['owner', 'cluster', 'state']));
    const needle = (filters.name || '').toLowerCase();
    const items = page.items.filter(t => !needle || t.name.toLowerCase().includes(needle));
    put(clear(results), table(`${items.length} topic(s)`, ['Name', 'Cluster', 'Team', 'State', 'Partitions', 'Updated'],
      items.map(t => [link(`#/topics/${enc(t.cluster)}/${enc(t.name)}`, t.name), t.cluster, t.owner, state(t.state),
        String((t.spec || t.requested || {}).partitions ?? ''), time(t.updatedAt)]),
      'No topics here yet. Ask for one!'));
  };
  put(main, h('h1', {}, 'Topics'),
    h('div', { class: 'actions' }, h('a', { class: 'button primary', href: '#/ask/topic' }, 'Ask for a topic')),
    filterForm(ctx, ['cluster'], (f) => load(f).catch(e => put(clear(results), notice(e.message, true)))), results);
  await load();
  put(main, await usage(ctx));
}

/** What each of my teams uses against its quota, where the API tells (GET /api/v1/teams/{team}/usage). */
async function usage(ctx) {
  if (!(await api.features()).usage || !(ctx.me.teams || []).length) return '';
  const section = h('section', { 'aria-labelledby': 'usage-h' }, h('h2', { id: 'usage-h' }, 'Usage'));
  for (const team of ctx.me.teams) {
    const u = await api.optional(`/api/v1/teams/${enc(team)}/usage`).catch(() => null);
    if (!u) continue;
    const rows = Object.entries(u).filter(([k]) => k !== 'team').map(([k, v]) => [k,
      v && typeof v === 'object' ? Object.entries(v).map(([a, b]) => `${a}: ${typeof b === 'object' ? JSON.stringify(b) : b}`).join(', ') : String(v)]);
    put(section, table(`Team ${team}`, ['What', 'Used and allowed'], rows, 'Nothing used yet.'));
  }
  return section;
}

export async function instances(main, ctx) {
  ctx.title('Instances');
  const results = h('div', { id: 'results', 'aria-live': 'polite' });
  const load = async (filters = {}) => {
    const page = await api.get('/api/v1/instances?' + query(filters, ['owner', 'state']));
    const needle = (filters.name || '').toLowerCase();
    const items = page.items.filter(i => !needle || i.name.toLowerCase().includes(needle));
    put(clear(results), table(`${items.length} instance(s)`, ['Name', 'Team', 'State', 'Brokers', 'Kafka', 'Updated'],
      items.map(i => [link(`#/instances/${enc(i.name)}`, i.name), i.owner, state(i.state),
        `${i.readyBrokers ?? '?'} of ${i.brokers ?? '?'} ready`, i.kafkaVersion || '', time(i.updatedAt)]),
      'No instances here yet.'));
  };
  put(main, h('h1', {}, 'Dedicated instances'),
    h('div', { class: 'actions' }, h('a', { class: 'button primary', href: '#/ask/instance' }, 'Ask for an instance')),
    filterForm(ctx, [], (f) => load(f).catch(e => put(clear(results), notice(e.message, true)))), results);
  await load();
}

/** The latest request's steps, and what the audit says was asked of this resource. */
async function history(key, owner, lastRequestId) {
  const section = h('section', { 'aria-labelledby': 'history-h' }, h('h2', { id: 'history-h' }, 'History'));
  if (lastRequestId) {
    try {
      const r = await api.get('/api/v1/requests/' + enc(lastRequestId));
      put(section, h('p', {}, 'Latest request: ', link('#/requests/' + enc(r.requestId), `${r.operation} ${r.requestId}`)),
        h('ol', { class: 'timeline' }, (r.history || []).map(t => h('li', {}, state(t.state), ' ', time(t.time)))));
    } catch (e) { put(section, notice(e.message, true)); }
  }
  try {
    const audit = await api.get('/api/v1/audit?' + new URLSearchParams({ team: owner, size: '500' }));
    const mine = audit.items.filter(a => a.resource === key);
    put(section, table('What was asked, and what was decided', ['When', 'Who', 'What', 'Decision', 'Request'],
      mine.map(a => [time(a.time), a.name || a.subject || '', a.action || '', [a.decision || '', a.reason ? ` (${a.reason})` : ''],
        a.requestId ? link('#/requests/' + enc(a.requestId), a.requestId.slice(0, 8)) : '']),
      'The audit has nothing more about it.'));
  } catch (e) {
    if (e.status !== 403) put(section, notice(e.message, true));
  }
  return section;
}

async function deleteButton(label, path, back) {
  return h('button', { type: 'button', class: 'danger', onclick: async (ev) => {
    if (!window.confirm(`${label}? This cannot be undone.`)) return;
    ev.target.disabled = true;
    try {
      const r = await api.call('DELETE', path);
      location.hash = '#/requests/' + enc(r.body.requestId);
    } catch (e) {
      ev.target.disabled = false;
      ev.target.after(notice(e.message, true));
    }
  } }, label);
}

export async function topic(main, ctx, cluster, name) {
  ctx.title(`Topic ${name}`);
  let t;
  try {
    t = await api.get(`/api/v1/topics/${enc(cluster)}/${enc(name)}`);
  } catch (e) {
    if (e.status !== 404) throw e;
    put(main, h('h1', {}, 'No such topic'), notice(`There is no topic ${name} on ${cluster} that one of your teams owns.`, true),
      h('p', {}, link('#/topics', 'Back to your topics')));
    return;
  }
  const spec = t.spec || t.requested || {};
  put(main, h('h1', {}, `Topic ${t.name}`),
    facts([['State', state(t.state)], ['Cluster', t.cluster], ['Team', t.owner], ['Partitions', String(spec.partitions ?? '')],
      ['Replication factor', String(spec.replicationFactor ?? '')], ['Description', spec.description],
      ['Why it failed', t.reason ? `${t.reason}: ${t.message || ''}` : null], ['Updated', time(t.updatedAt)]]),
    table('Configs set on it (others are the cluster\'s defaults)', ['Config', 'Value'],
      Object.entries(spec.config || {}).map(([k, v]) => [h('code', {}, k), String(v)]), 'No configs set: the cluster\'s defaults apply.'));
  put(main, await connection(t));
  if (t.state !== 'DELETED' && t.state !== 'DELETING') {
    put(main, h('div', { class: 'actions' },
      h('a', { class: 'button', href: `#/topics/${enc(cluster)}/${enc(name)}/change` }, 'Change this topic'),
      await deleteButton('Delete this topic', `/api/v1/topics/${enc(cluster)}/${enc(name)}`)));
  }
  put(main, await history(`${t.cluster}/${t.name}`, t.owner, t.lastRequestId));
}

/**
 * How to connect to a topic: on a dedicated instance, its page has the listeners; on a registered cluster, its
 * bootstrap servers as the API knows them (GET /api/v1/clusters, where the API has it).
 */
async function connection(t) {
  const section = h('section', { 'aria-labelledby': 'connect-h' }, h('h2', { id: 'connect-h' }, 'How to connect'));
  const inst = (await api.get('/api/v1/instances?size=500').then(p => p.items).catch(() => [])).find(i => i.name === t.cluster);
  if (inst) {
    put(section, h('p', {}, 'It is on the dedicated instance ', link('#/instances/' + enc(inst.name), inst.name),
      ': see there for the bootstrap servers and a client config.'));
    return section;
  }
  const clusters = (await api.features()).clusters ? await api.optional('/api/v1/clusters').catch(() => null) : null;
  const c = (clusters || []).find(x => x.name === t.cluster);
  if (!c || !c.bootstrapServers) {
    put(section, h('p', {}, `It is on the registered cluster "${t.cluster}"; your platform team has its bootstrap servers (the ready event and e-mail carry them too).`));
    return section;
  }
  const text = [`# topic ${t.name} on ${c.name}`, `bootstrap.servers=${c.bootstrapServers}`,
    '# security.protocol, sasl.*: as your platform team secures this cluster (a Kafka user from the concierge signs in with SCRAM-SHA-512)']
    .join('\n');
  put(section, facts([['Cluster', `${c.name} (environment ${c.environment})`],
    ['Bootstrap servers', h('code', { id: 'bootstrap-servers' }, c.bootstrapServers)],
    ['Last checked', c.reachable ? time(c.checkedAt) : ['not reachable when last checked ', time(c.checkedAt)]]]),
    h('h3', {}, 'Client config'),
    h('pre', { id: 'client-config', tabindex: '0', 'aria-label': 'Client config' }, text),
    h('button', { type: 'button', onclick: () => navigator.clipboard.writeText(text)
      .then(() => announce('Copied'), () => announce('Select the text and copy it')) }, 'Copy the client config'),
    h('p', {}, 'No secret is in it.'));
  return section;
}

/** A client configuration for a listener: no secret in it, only where to connect and how. */
export function clientConfig(listener, tls) {
  return [`# ${listener.name}`, `bootstrap.servers=${listener.bootstrapServers}`,
    `security.protocol=${tls ? 'SSL' : 'PLAINTEXT'}`,
    tls ? '# trust the cluster CA: ssl.truststore.type=PEM, ssl.truststore.location=<the CA certificate your platform team gives>' : null]
    .filter(Boolean).join('\n');
}

export async function instance(main, ctx, name) {
  ctx.title(`Instance ${name}`);
  const i = await api.get(`/api/v1/instances/${enc(name)}`);
  const spec = i.spec || i.requested || {};
  const tlsOf = (l) => ((spec.listeners || []).find(x => x.name === l.name) || {}).tls;
  put(main, h('h1', {}, `Instance ${i.name}`),
    facts([['State', state(i.state)], ['Team', i.owner], ['Backend', i.backend], ['Kafka', i.kafkaVersion],
      ['Brokers', `${i.readyBrokers ?? '?'} of ${i.brokers ?? spec.brokers ?? '?'} ready`],
      ['Storage', spec.storage ? `${spec.storage.type}${spec.storage.size ? ' ' + spec.storage.size : ''}` : null],
      ['Deletion protection', spec.deletionProtection ? 'on' : 'off'],
      ['Why it failed', i.reason ? `${i.reason}: ${i.message || ''}` : null], ['Updated', time(i.updatedAt)]]));
  const conn = h('section', { 'aria-labelledby': 'connect-h' }, h('h2', { id: 'connect-h' }, 'How to connect'));
  if (i.listeners && i.listeners.length) {
    put(conn, table('Listeners', ['Listener', 'Bootstrap servers'], i.listeners.map(l => [l.name, h('code', {}, l.bootstrapServers)])));
    for (const l of i.listeners) {
      const text = clientConfig(l, tlsOf(l));
      const pre = h('pre', { id: 'client-config-' + l.name, tabindex: '0', 'aria-label': `Client config for ${l.name}` }, text);
      put(conn, h('h3', {}, `Client config (${l.name})`), pre,
        h('button', { type: 'button', onclick: () => navigator.clipboard.writeText(text)
          .then(() => announce('Copied'), () => announce('Select the text and copy it')) }, `Copy the ${l.name} config`));
    }
    put(conn, h('p', {}, 'No secret is in it: a plain listener needs none; for TLS, trust the cluster CA.'));
  } else {
    put(conn, h('p', {}, 'Bootstrap servers appear here once the instance is ready.'));
  }
  put(main, conn);
  if (i.conditions && i.conditions.length) {
    put(main, table('Conditions', ['Type', 'Status', 'Reason', 'Message', 'Since'],
      i.conditions.map(c => [c.type, c.status, c.reason || '', c.message || '', time(c.lastTransitionTime)])));
  }
  put(main, table('Configs', ['Config', 'Value'], Object.entries(spec.config || {}).map(([k, v]) => [h('code', {}, k), String(v)]),
    'No broker configs set.'));
  if (!['DELETED', 'DELETING'].includes(i.state)) {
    put(main, h('div', { class: 'actions' }, await deleteButton('Delete this instance', `/api/v1/instances/${enc(name)}`)));
  }
  put(main, await history(`instance:${i.name}`, i.owner, i.lastRequestId));
}
