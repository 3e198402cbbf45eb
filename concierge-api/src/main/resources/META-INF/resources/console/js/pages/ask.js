// Forms to ask for a topic and an instance. The API is the judge: its problem+json field errors are shown beside
// their fields. Where the API has dry runs, the plan (and whether approval is needed) is shown before submitting.
import { h, clear, notice, facts, enc, announce, put } from '../dom.js';
import * as api from '../api.js';
import { field, value, number, clearErrors, showProblem } from '../forms.js';

function ownerField(ctx) {
  const teams = ctx.me.teams || [];
  if (teams.length) {
    return field('owner', 'Team', { kind: 'select', options: teams, value: teams[0], required: true,
      hint: 'The team that will own it; only your teams can be chosen.' });
  }
  return field('owner', 'Team', { required: true, hint: 'The owning team (as a platform admin you may name any).' });
}

/** key=value lines into an object; values stay strings (the API checks them against Kafka's definitions). */
function pairs(text) {
  const out = {};
  for (const line of (text || '').split('\n')) {
    const t = line.trim();
    if (!t || t.startsWith('#')) continue;
    const i = t.indexOf('=');
    if (i < 0) out[t] = '';
    else out[t.slice(0, i).trim()] = t.slice(i + 1).trim();
  }
  return out;
}

/** The same body with the same key is a safe retry; a changed body gets a new key. */
function keyFor(state, body) {
  const text = JSON.stringify(body);
  if (state.body !== text) { state.body = text; state.key = crypto.randomUUID(); }
  return state.key;
}

function planView(answer) {
  // the API's dry run: {dryRun, state, plan: {environment, policy, violations, quota, approval, cluster}}
  const plan = answer.plan || {};
  const approval = plan.approval;
  const quota = plan.quota;
  const cluster = plan.cluster;
  const adding = quota && quota.adding ? Object.entries(quota.adding).filter(([k, v]) => typeof v === 'number' && v > 0)
    .map(([k, v]) => `${v} ${k}`).join(', ') : '';
  return h('section', { class: 'notice', id: 'plan', tabindex: '-1', 'aria-labelledby': 'plan-h' },
    h('h2', { id: 'plan-h' }, 'The plan'),
    facts([['Decision', answer.state === 'AWAITING_APPROVAL' ? 'It will wait for approval' : 'It will be accepted and made now'],
      ['Approval', approval && approval.required ? `${approval.required} approval(s) from ${approval.approvers === 'team' ? 'another member of the team' : 'the platform admins'}` : 'not needed'],
      ['Policy', plan.policy ? `${plan.policy} (environment ${plan.environment})` : ''],
      ['Adds to the team\'s usage', adding || 'nothing'],
      ['The cluster', !cluster ? 'not asked' : cluster.checked ? (cluster.valid ? 'accepts it' : 'refuses it: ' + cluster.message) : 'could not be asked: ' + cluster.message]]),
    h('details', {}, h('summary', {}, 'Everything the API plans'), h('pre', {}, JSON.stringify(plan, null, 2))));
}

/**
 * The common submit: a dry run first where the API has one (then "Submit" sends it), else straight away. On 202 the
 * request's live page opens. build() returns the body, or null when there is nothing to send (it says why itself).
 */
function submitter(form, path, build, dryRun, method = 'POST') {
  const keys = {};
  let planned = null;
  const actions = form.querySelector('.actions');
  const primary = actions.querySelector('button[type=submit]');
  const label = primary.textContent;
  const reset = () => {
    planned = null;
    primary.textContent = label;
    const old = form.querySelector('#plan');
    if (old) old.remove();
  };
  form.addEventListener('input', () => { if (planned) reset(); });
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const body = build();
    if (body === null) { reset(); return; }
    const realSend = !dryRun || (planned && planned === JSON.stringify(body));
    primary.disabled = true;
    try {
      const r = await api.call(method, path + (realSend ? '' : '?dryRun=true'), body, { 'Idempotency-Key': keyFor(keys, body) });
      clearErrors(form);
      if (r.status === 202 || !(r.body && r.body.dryRun)) {
        announce('Accepted');
        location.hash = '#/requests/' + enc(r.body.requestId);
        return;
      }
      planned = JSON.stringify(body);
      const old = form.querySelector('#plan');
      if (old) old.remove();
      const plan = planView(r.body);
      actions.before(plan);
      primary.textContent = r.body.state === 'AWAITING_APPROVAL' ? 'Submit for approval' : 'Submit';
      plan.focus();
    } catch (e) {
      reset();
      if (e.status === 401) return;
      showProblem(form, e);
    } finally {
      primary.disabled = false;
    }
  });
}

/** The configs people usually set, as fields (empty: the cluster's default). */
const COMMON_CONFIGS = ['retention.ms', 'cleanup.policy', 'min.insync.replicas', 'max.message.bytes'];

function configFields(current = {}) {
  return h('fieldset', {}, h('legend', {}, 'Configs people usually set (empty: the cluster\'s default)'),
    field('config.retention.ms', 'retention.ms', { value: current['retention.ms'],
      hint: 'How long records are kept, in ms: 604800000 is 7 days, -1 forever.' }),
    field('config.cleanup.policy', 'cleanup.policy', { kind: 'select', value: current['cleanup.policy'] ?? '',
      options: [{ value: '', label: 'the cluster\'s default' }, 'delete', 'compact', 'compact,delete'],
      hint: 'delete: by age and size; compact: keep the latest record per key.' }),
    field('config.min.insync.replicas', 'min.insync.replicas', { kind: 'number', value: current['min.insync.replicas'],
      hint: 'At most the replication factor.' }),
    field('config.max.message.bytes', 'max.message.bytes', { kind: 'number', value: current['max.message.bytes'],
      hint: 'The largest record batch, in bytes.' }),
    field('config', 'Other configs', { kind: 'textarea', errorsFor: 'config.',
      value: Object.entries(current).filter(([k]) => !COMMON_CONFIGS.includes(k)).map(([k, v]) => `${k}=${v}`).join('\n'),
      hint: 'One key=value a line, any topic config Kafka knows (e.g. compression.type=zstd).' }));
}

/** The configs the form asks for: the common fields and the other lines. */
function configsOf(form) {
  const config = pairs(value(form, 'config'));
  for (const k of COMMON_CONFIGS) {
    const v = value(form, 'config.' + k);
    if (v) config[k] = v;
  }
  return config;
}

export async function topic(main, ctx) {
  ctx.title('Ask for a topic');
  const features = await api.features();
  const limits = (ctx.settings && ctx.settings.limits) || {};
  const instances = await api.get('/api/v1/instances?state=READY&size=500').then(p => p.items).catch(() => []);
  const form = h('form', { class: 'stack', novalidate: true, id: 'topic-form', 'aria-labelledby': 'ask-h' },
    ownerField(ctx),
    field('cluster', 'Cluster', { value: 'local', required: true, attrs: { list: 'clusters' },
      hint: 'A registered cluster, or one of your team\'s ready instances.' }),
    h('datalist', { id: 'clusters' }, h('option', { value: 'local' }), instances.map(i => h('option', { value: i.name }))),
    field('name', 'Topic name', { required: true, hint: 'Letters, digits, ".", "_" and "-"; at most 249 characters.' }),
    field('partitions', 'Partitions', { kind: 'number', value: '3', required: true, attrs: { inputmode: 'numeric' },
      hint: `From 1 to ${limits.maxPartitions ?? 1000} on this installation; you can add more later, never fewer.` }),
    field('replicationFactor', 'Replication factor', { kind: 'number', value: '1', required: true, attrs: { inputmode: 'numeric' },
      hint: 'Copies of each partition; at most the cluster\'s brokers (the local cluster has 1).' }),
    configFields(),
    field('description', 'Description', { hint: 'What is in it, for whoever finds it later.' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, features.dryRun ? 'Review the plan' : 'Ask for it'),
      h('a', { class: 'button', href: '#/topics' }, 'Cancel')));
  put(main, h('h1', { id: 'ask-h' }, 'Ask for a topic'),
    features.dryRun ? h('p', {}, 'You will see the plan, and whether it needs approval, before anything is asked.') : null, form);
  submitter(form, '/api/v1/topics', () => {
    const config = configsOf(form);
    const body = { cluster: value(form, 'cluster'), name: value(form, 'name'), partitions: number(form, 'partitions'),
      replicationFactor: number(form, 'replicationFactor'), owner: value(form, 'owner') };
    if (Object.keys(config).length) body.config = config;
    const d = value(form, 'description');
    if (d) body.description = d;
    return body;
  }, features.dryRun);
}

export async function instance(main, ctx) {
  ctx.title('Ask for an instance');
  const features = await api.features();
  const limits = (ctx.settings && ctx.settings.limits) || {};
  const versions = limits.kafkaVersions || [];
  const form = h('form', { class: 'stack', novalidate: true, id: 'instance-form', 'aria-labelledby': 'ask-h' },
    ownerField(ctx),
    field('name', 'Instance name', { required: true, hint: 'Lower-case letters, digits and "-" (a DNS label); it also names the cluster for your topics.' }),
    field('brokers', 'Brokers', { kind: 'number', value: '1', required: true, attrs: { inputmode: 'numeric' },
      hint: `From 1 to ${limits.maxBrokers ?? 6}.` }),
    versions.length ? field('kafkaVersion', 'Kafka version', { kind: 'select', options: versions, value: limits.defaultKafkaVersion })
      : field('kafkaVersion', 'Kafka version'),
    field('storage.type', 'Storage', { kind: 'select', value: '', options: [{ value: '', label: 'the default' }, 'ephemeral', 'persistent'],
      hint: limits.instanceBackend === 'local' ? 'Applies on Kubernetes; a local instance keeps its data on this machine.' : 'persistent keeps data across restarts.' }),
    field('storage.size', 'Storage size', { hint: 'For persistent storage, e.g. 20Gi.' }),
    field('config', 'Broker configs', { kind: 'textarea', errorsFor: 'config.',
      hint: 'One key=value a line, from the allowed list: num.partitions, default.replication.factor, min.insync.replicas, log.retention.hours, log.retention.bytes, log.segment.bytes, message.max.bytes, compression.type, log.cleanup.policy, auto.create.topics.enable, ...' }),
    field('deletionProtection', 'Protect it from deletion', { kind: 'checkbox', value: false,
      hint: 'A protected instance cannot be deleted until this is turned off.' }),
    field('description', 'Description'),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, features.dryRunInstance ? 'Review the plan' : 'Ask for it'),
      h('a', { class: 'button', href: '#/instances' }, 'Cancel')));
  put(main, h('h1', { id: 'ask-h' }, 'Ask for a dedicated instance'), form);
  submitter(form, '/api/v1/instances', () => {
    const body = { name: value(form, 'name'), owner: value(form, 'owner'), brokers: number(form, 'brokers'),
      deletionProtection: value(form, 'deletionProtection') };
    const version = value(form, 'kafkaVersion');
    if (version) body.kafkaVersion = version;
    const config = pairs(value(form, 'config'));
    if (Object.keys(config).length) body.config = config;
    const type = value(form, 'storage.type');
    const size = value(form, 'storage.size');
    if (type || size) body.storage = { type: type || 'persistent', ...(size ? { size } : {}) };
    const d = value(form, 'description');
    if (d) body.description = d;
    return body;
  }, features.dryRunInstance);
}

/**
 * Change a topic (PATCH): more partitions, configs set or returned to the cluster's default, the description. Only
 * what differs from the topic as it is (or is about to be) is sent; a config taken out of the form is reset (null).
 */
export async function change(main, ctx, cluster, name) {
  ctx.title(`Change topic ${name}`);
  const features = await api.features();
  const limits = (ctx.settings && ctx.settings.limits) || {};
  const t = await api.get(`/api/v1/topics/${enc(cluster)}/${enc(name)}`);
  // what a change applies to: the spec its latest request asks for, unless that one failed
  const now = (t.state === 'FAILED' ? t.spec : t.requested) || t.spec || t.requested || {};
  const config = Object.fromEntries(Object.entries(now.config || {}).map(([k, v]) => [k, String(v)]));
  const form = h('form', { class: 'stack', novalidate: true, id: 'change-form', 'aria-labelledby': 'change-h' },
    field('partitions', 'Partitions', { kind: 'number', value: String(now.partitions ?? ''), required: true,
      attrs: { inputmode: 'numeric' },
      hint: `It has ${now.partitions}: more, never fewer (at most ${limits.maxPartitions ?? 1000}). Keys map to other partitions afterwards.` }),
    configFields(config),
    field('description', 'Description', { value: now.description ?? '' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, features.dryRunPatch ? 'Review the plan' : 'Change it'),
      h('a', { class: 'button', href: `#/topics/${enc(cluster)}/${enc(name)}` }, 'Cancel')));
  put(main, h('h1', { id: 'change-h' }, `Change topic ${name}`),
    facts([['Cluster', t.cluster], ['Team', t.owner], ['Replication factor', String(now.replicationFactor ?? '')]]),
    features.dryRunPatch ? h('p', {}, 'You will see the plan, and whether it needs approval, before anything changes.') : null, form);
  submitter(form, `/api/v1/topics/${enc(cluster)}/${enc(name)}`, () => {
    const body = {};
    const partitions = number(form, 'partitions');
    if (partitions !== now.partitions) body.partitions = partitions;
    const wanted = configsOf(form);
    const patch = {};
    for (const [k, v] of Object.entries(wanted)) if (config[k] !== v) patch[k] = v;
    for (const k of Object.keys(config)) if (!(k in wanted)) patch[k] = null;
    if (Object.keys(patch).length) body.config = patch;
    const d = value(form, 'description');
    if (d !== (now.description ?? '')) body.description = d;
    if (!Object.keys(body).length) {
      clearErrors(form);
      const summary = h('div', { class: 'summary', tabindex: '-1', role: 'alert' }, h('h2', {}, 'Nothing changed'),
        h('p', {}, 'Change a field first: the topic already is as this form shows.'));
      form.prepend(summary);
      summary.focus();
      return null;
    }
    return body;
  }, features.dryRunPatch, 'PATCH');
}

export { clear, notice };
