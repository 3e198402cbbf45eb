// The REST API, called with the signed-in person's own token: the console can do exactly what they can.
import * as session from './session.js';

/** What went wrong, with the API's problem+json (RFC 9457) when there is one. */
export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || ('The API answered ' + status));
    this.status = status;
    this.problem = problem || {};
  }
  get fieldErrors() { return this.problem.errors || []; }
}

let onSignedOut = () => {};
export function whenSignedOut(f) { onSignedOut = f; }

export async function call(method, path, body, headers = {}) {
  for (let attempt = 0; ; attempt++) {
    const s = session.current();
    if (!s) { onSignedOut('Your session has ended: sign in again.'); throw new ApiError(401, { title: 'Not signed in' }); }
    const init = { method, credentials: 'omit', cache: 'no-store',
      headers: { Accept: 'application/json, application/problem+json', Authorization: 'Bearer ' + s.accessToken, ...headers } };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const r = await fetch(path, init);
    if (r.status === 401 && attempt === 0 && await session.refresh()) continue;
    const text = await r.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
    if (r.status === 401) {
      session.signOutLocally();
      onSignedOut('Your session has ended: sign in again.');
    }
    if (!r.ok) throw new ApiError(r.status, json);
    return { status: r.status, body: json, headers: r.headers };
  }
}

export const get = (path) => call('GET', path).then(r => r.body);

/** GET, or null when the API has no such endpoint (404): for parts that not every installation has. */
export async function optional(path) {
  try {
    return await get(path);
  } catch (e) {
    if (e.status === 404) return null;
    throw e;
  }
}

let openapi;
/** The API's own document (public), to see which optional features this installation has. */
export async function features() {
  if (openapi === undefined) {
    try {
      const r = await fetch('/q/openapi?format=json', { credentials: 'omit', headers: { Accept: 'application/json' } });
      openapi = r.ok ? await r.json() : null;
    } catch (e) {
      openapi = null;
    }
  }
  const paths = (openapi && openapi.paths) || {};
  const hasParam = (path, method, name) => ((paths[path] && paths[path][method] && paths[path][method].parameters) || [])
    .some(p => p.name === name);
  return {
    dryRun: hasParam('/api/v1/topics', 'post', 'dryRun'),
    dryRunInstance: hasParam('/api/v1/instances', 'post', 'dryRun'),
    dryRunPatch: hasParam('/api/v1/topics/{cluster}/{name}', 'patch', 'dryRun'),
    clusters: !!(paths['/api/v1/clusters'] && paths['/api/v1/clusters'].get),
    approvals: !!paths['/api/v1/approvals'],
    usage: Object.keys(paths).some(p => p.startsWith('/api/v1/teams/') && p.endsWith('/usage')),
  };
}
