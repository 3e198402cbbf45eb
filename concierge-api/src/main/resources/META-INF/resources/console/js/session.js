// Who is signed in, and how: a bearer token for the API.
//
// Where the token lives: sessionStorage, under one key. It survives a reload and the identity provider's redirect
// (the sign-in is a navigation away and back), it is not shared with other tabs and is gone when the tab closes, and
// it is never in a URL or a cookie (so never sent anywhere but in the Authorization header we set, and no CSRF).
// localStorage would keep it on disk after the tab is closed. What a script on this origin could read, CSP limits to
// our own files (no inline script, no other origin). The refresh token of the provider is kept in memory only.

const KEY = 'concierge.session';
const FLOW = 'concierge.signin';
let refreshToken = null;
let settings = null;

export function setSettings(s) { settings = s; }
export function getSettings() { return settings; }

export function current() {
  try {
    const s = JSON.parse(sessionStorage.getItem(KEY) || 'null');
    if (s && s.accessToken && (!s.expiresAt || Date.parse(s.expiresAt) > Date.now() + 5000)) return s;
  } catch (e) { /* unreadable: signed out */ }
  return null;
}

function store(accessToken, expiresAt, how, idToken) {
  sessionStorage.setItem(KEY, JSON.stringify({ accessToken, expiresAt, how, idToken }));
}

export function signOutLocally() {
  sessionStorage.removeItem(KEY);
  refreshToken = null;
}

/** The local run's one-click sign-in: a token of the local development identity, from the API itself. */
export async function devSignIn(as) {
  const r = await fetch('/api/v1/console/dev-login', {
    method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ as }), credentials: 'omit', cache: 'no-store' });
  if (!r.ok) throw new Error('The one-click sign-in is not available here (' + r.status + ')');
  const t = await r.json();
  store(t.accessToken, t.expiresAt, 'dev');
}

function b64url(bytes) {
  let s = '';
  for (const b of new Uint8Array(bytes)) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function random(n = 32) {
  return b64url(crypto.getRandomValues(new Uint8Array(n)));
}

async function discovery() {
  const r = await fetch(settings.oidc.authServerUrl + '/.well-known/openid-configuration',
    { credentials: 'omit', cache: 'no-store' });
  if (!r.ok) throw new Error('The identity provider does not answer (' + r.status + ')');
  return r.json();
}

function redirectUri() {
  return location.origin + '/console/';
}

/** The authorization-code flow with PKCE: off to the provider; it comes back to /console/?code=...&state=... */
export async function providerSignIn() {
  const config = await discovery();
  const verifier = random(48);
  const challenge = b64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  const state = random(16);
  sessionStorage.setItem(FLOW, JSON.stringify({ verifier, state, back: location.hash || '#/' }));
  const q = new URLSearchParams({ response_type: 'code', client_id: settings.oidc.clientId,
    redirect_uri: redirectUri(), scope: 'openid', state, code_challenge: challenge, code_challenge_method: 'S256' });
  location.assign(config.authorization_endpoint + '?' + q);
}

/** Back from the provider: exchange the one-time code for tokens, and take the code out of the address bar. */
export async function completeProviderSignIn() {
  const params = new URLSearchParams(location.search);
  if (!params.has('code') && !params.has('error')) return null;
  const flow = JSON.parse(sessionStorage.getItem(FLOW) || 'null');
  sessionStorage.removeItem(FLOW);
  history.replaceState(null, '', '/console/' + ((flow && flow.back) || '#/'));
  if (params.has('error')) throw new Error('The identity provider refused: ' + (params.get('error_description') || params.get('error')));
  if (!flow || flow.state !== params.get('state')) throw new Error('This sign-in was not started here; sign in again');
  const config = await discovery();
  const r = await fetch(config.token_endpoint, {
    method: 'POST', credentials: 'omit', cache: 'no-store',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: params.get('code'),
      redirect_uri: redirectUri(), client_id: settings.oidc.clientId, code_verifier: flow.verifier }) });
  if (!r.ok) throw new Error('The identity provider did not give a token (' + r.status + ')');
  const t = await r.json();
  refreshToken = t.refresh_token || null;
  store(t.access_token, new Date(Date.now() + (t.expires_in || 300) * 1000).toISOString(), 'provider', t.id_token);
  return true;
}

/** A new access token from the refresh token this page holds, if it holds one. */
export async function refresh() {
  const s = current();
  if (!refreshToken || !settings || !settings.oidc) return false;
  try {
    const config = await discovery();
    const r = await fetch(config.token_endpoint, {
      method: 'POST', credentials: 'omit', cache: 'no-store',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken,
        client_id: settings.oidc.clientId }) });
    if (!r.ok) return false;
    const t = await r.json();
    refreshToken = t.refresh_token || refreshToken;
    store(t.access_token, new Date(Date.now() + (t.expires_in || 300) * 1000).toISOString(), 'provider',
      t.id_token || (s && s.idToken));
    return true;
  } catch (e) {
    return false;
  }
}

/** Sign out here, and at the provider if that is where the session came from. */
export async function signOut() {
  const s = current();
  signOutLocally();
  if (s && s.how === 'provider' && settings && settings.oidc) {
    try {
      const config = await discovery();
      if (config.end_session_endpoint) {
        const q = new URLSearchParams({ client_id: settings.oidc.clientId, post_logout_redirect_uri: redirectUri() });
        if (s.idToken) q.set('id_token_hint', s.idToken);
        location.assign(config.end_session_endpoint + '?' + q);
        return;
      }
    } catch (e) { /* signed out here at least */ }
  }
  location.hash = '#/';
  location.reload();
}
