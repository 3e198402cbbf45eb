// Who gets told: the notifier's subscriptions (webhook or e-mail), reached at /api/v1/subscriptions on this origin
// (the Kubernetes Ingress routes it to the notifier; a local run's API forwards it with the caller's own token).
import { h, clear, state, time, table, facts, notice, link, enc, announce, put } from '../dom.js';
import * as api from '../api.js';
import { field, value, showProblem, clearErrors } from '../forms.js';

const TYPES = ['topic.ready', 'topic.failed', 'topic.deleted', 'instance.ready', 'instance.failed', 'instance.degraded',
  'instance.deleted', 'subscription.disabled'].map(t => 'io.kafkaconcierge.' + t);

function unreachable(e) {
  return notice(e.status === 404 || e.status === 503
    ? 'Subscriptions cannot be reached from here (the notifier is not routed to this address): ' + e.message
    : e.message, true);
}

export async function list(main, ctx) {
  ctx.title('Subscriptions');
  put(main, h('h1', {}, 'Subscriptions'), h('p', {}, 'Webhooks and e-mails that tell your systems and people what happened.'),
    h('div', { class: 'actions' }, h('a', { class: 'button primary', href: '#/subscriptions/new' }, 'Add a subscription')));
  try {
    const subs = await api.get('/api/v1/subscriptions');
    put(main, table(`${subs.length} subscription(s)`, ['Description', 'Team', 'Channel', 'State', 'Created'],
      subs.map(s => [link('#/subscriptions/' + enc(s.id), s.description || s.id), s.owner || '',
        s.channel.type === 'webhook' ? `webhook to ${s.channel.url}` : `e-mail to ${(s.channel.to || []).join(', ')}`,
        h('span', { class: 'state state-' + (s.state === 'ACTIVE' ? 'READY' : 'FAILED') }, s.state), time(s.createdAt)]),
      'No subscriptions yet.'));
  } catch (e) {
    if (e.status !== 401) put(main, unreachable(e));
  }
}

function secretBox(secret) {
  return h('div', { class: 'secret', id: 'new-secret', tabindex: '-1', role: 'alert' },
    h('h2', {}, 'The signing secret: shown this once'),
    h('p', {}, 'Copy it into your receiver now; the concierge will never show it again (rotate it for a new one).'),
    h('pre', { 'aria-label': 'The secret' }, secret),
    h('button', { type: 'button', onclick: () => navigator.clipboard.writeText(secret).then(() => announce('Copied'), () => {}) }, 'Copy the secret'));
}

export async function create(main, ctx) {
  ctx.title('Add a subscription');
  const teams = ctx.me.teams || [];
  const form = h('form', { class: 'stack', novalidate: true, id: 'subscription-form' },
    teams.length ? field('owner', 'Team', { kind: 'select', options: teams, required: true })
      : field('owner', 'Team', { required: true }),
    field('description', 'Description', { required: true, hint: 'e.g. our deploy bot' }),
    field('channel.type', 'Channel', { kind: 'select', options: [{ value: 'webhook', label: 'Webhook (signed HTTP POST)' }, { value: 'email', label: 'E-mail' }] }),
    field('channel.url', 'Webhook URL', { kind: 'url', hint: 'https:// address that receives each event, signed the Standard Webhooks way.' }),
    field('channel.to', 'E-mail addresses', { hint: 'Comma-separated.' }),
    h('fieldset', { 'data-field': 'filter.types', class: 'field' }, h('legend', {}, 'Which events (none ticked: all)'),
      h('p', { class: 'error', hidden: true }),
      TYPES.map((t, i) => h('div', {}, h('input', { type: 'checkbox', id: 'type-' + i, name: 'types', value: t }), ' ',
        h('label', { for: 'type-' + i }, t.replace('io.kafkaconcierge.', ''))))),
    field('filter.clusters', 'Only these clusters or instances', { hint: 'Comma-separated; empty: any.' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Add it'),
      h('a', { class: 'button', href: '#/subscriptions' }, 'Cancel')));
  const csv = (s) => (s || '').split(',').map(x => x.trim()).filter(Boolean);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const type = value(form, 'channel.type');
    const owner = value(form, 'owner');
    const body = { owner, description: value(form, 'description'),
      filter: { types: [...form.querySelectorAll('input[name=types]:checked')].map(c => c.value),
        clusters: csv(value(form, 'filter.clusters')), owners: [owner] },
      channel: type === 'webhook' ? { type, url: value(form, 'channel.url') } : { type, to: csv(value(form, 'channel.to')) } };
    try {
      const r = await api.call('POST', '/api/v1/subscriptions', body);
      clearErrors(form);
      put(clear(main), h('h1', {}, 'Subscription added'),
        r.body.secret ? secretBox(r.body.secret) : null,
        h('p', {}, link('#/subscriptions/' + enc(r.body.id), 'See it, test it, and its deliveries')));
      const box = main.querySelector('#new-secret');
      if (box) box.focus();
    } catch (e) {
      if (e.status === 401) return;
      if (e.status === 404 || e.status === 503) form.before(unreachable(e)); else showProblem(form, e);
    }
  });
  put(main, h('h1', {}, 'Add a subscription'), form);
}

export async function one(main, ctx, id) {
  ctx.title('Subscription');
  let s;
  try {
    s = await api.get('/api/v1/subscriptions/' + enc(id));
  } catch (e) {
    if (e.status !== 401) put(main, h('h1', {}, 'Subscription'), unreachable(e));
    return;
  }
  const out = h('div', { id: 'subscription-actions-result', 'aria-live': 'polite' });
  const deliveries = h('div', { id: 'deliveries' });
  const loadDeliveries = async () => {
    const list = await api.get(`/api/v1/subscriptions/${enc(id)}/deliveries?limit=50`);
    put(clear(deliveries), table('Recent deliveries, newest first', ['When', 'Event', 'Attempt', 'Outcome', 'Status', 'Latency', 'Error'],
      list.map(d => [time(d.at), d.eventType || '', String(d.attempt), d.outcome, d.statusCode ? String(d.statusCode) : '',
        `${d.latencyMs} ms`, d.error || '']), 'Nothing delivered yet.'));
  };
  const act = (label, f) => h('button', { type: 'button', onclick: async (ev) => {
    ev.target.disabled = true;
    try { await f(); } catch (e) { if (e.status !== 401) put(clear(out), notice(e.message, true)); } finally { ev.target.disabled = false; }
  } }, label);
  const buttons = [act('Send a test event', async () => {
    const d = await api.call('POST', `/api/v1/subscriptions/${enc(id)}/test`);
    put(clear(out), notice(`Test: ${d.body.outcome}${d.body.statusCode ? ' (HTTP ' + d.body.statusCode + ')' : ''}${d.body.error ? ': ' + d.body.error : ''}`));
    await loadDeliveries();
  })];
  if (s.channel.type === 'webhook' && !s.configured) {
    buttons.push(act('Rotate the secret', async () => {
      if (!window.confirm('Make a new signing secret? The old one is still sent for a while (the overlap).')) return;
      const r = await api.call('POST', `/api/v1/subscriptions/${enc(id)}/secret/rotate`, {});
      put(clear(out), secretBox(r.body.secret));
      out.querySelector('#new-secret').focus();
    }));
  }
  if (!s.configured) {
    buttons.push(act(s.state === 'ACTIVE' ? 'Pause it' : 'Turn it on again', async () => {
      await api.call('PATCH', `/api/v1/subscriptions/${enc(id)}`, { state: s.state === 'ACTIVE' ? 'DISABLED' : 'ACTIVE' });
      location.reload();
    }));
  }
  put(main, h('h1', {}, s.description || s.id),
    facts([['State', h('span', { class: 'state state-' + (s.state === 'ACTIVE' ? 'READY' : 'FAILED') }, s.state)],
      ['Why disabled', s.disabledReason ? `${s.disabledReason}: ${s.disabledMessage || ''}` : null],
      ['Team', s.owner], ['Channel', s.channel.type === 'webhook' ? s.channel.url : (s.channel.to || []).join(', ')],
      ['Events', (s.filter && s.filter.types && s.filter.types.length) ? s.filter.types.join(', ') : 'all'],
      ['Secrets', (s.secrets || []).map(x => `made ${new Date(x.createdAt).toLocaleString()}${x.expiresAt ? ', sent until ' + new Date(x.expiresAt).toLocaleString() : ''}`).join('; ')],
      ['Created', time(s.createdAt)]]),
    h('div', { class: 'actions' }, buttons), out, h('h2', {}, 'Deliveries'), deliveries);
  await loadDeliveries().catch(e => put(deliveries, notice(e.message, true)));
}

export { state };
