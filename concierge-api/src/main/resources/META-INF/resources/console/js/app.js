// The console: a small single-page app on hash routes (#/topics, #/requests/<id>, ...), so a reload or a shared
// link keeps the page, and nothing but the route is ever in the address (never a token).
import { h, clear, notice, announce, put } from './dom.js';
import * as session from './session.js';
import * as api from './api.js';
import * as resources from './pages/resources.js';
import * as ask from './pages/ask.js';
import * as request from './pages/request.js';
import * as subscriptions from './pages/subscriptions.js';
import * as approvals from './pages/approvals.js';

const main = document.getElementById('main');
let me = null;
let leave = null;

const routes = [
  [/^#\/?$/, () => resources.topics],
  [/^#\/topics$/, () => resources.topics],
  [/^#\/topics\/([^/]+)\/([^/]+)$/, () => resources.topic],
  [/^#\/topics\/([^/]+)\/([^/]+)\/change$/, () => ask.change],
  [/^#\/instances$/, () => resources.instances],
  [/^#\/instances\/([^/]+)$/, () => resources.instance],
  [/^#\/ask\/topic$/, () => ask.topic],
  [/^#\/ask\/instance$/, () => ask.instance],
  [/^#\/requests\/([^/]+)$/, () => request.page],
  [/^#\/subscriptions$/, () => subscriptions.list],
  [/^#\/subscriptions\/new$/, () => subscriptions.create],
  [/^#\/subscriptions\/([^/]+)$/, () => subscriptions.one],
  [/^#\/approvals$/, () => approvals.queue],
];

/** Context every page gets: who is signed in, and how to set the page's title. */
function context() {
  return {
    me, settings: session.getSettings(),
    title(text) {
      document.title = text + ' · Kafka Concierge';
    },
  };
}

let rendering = 0;

/**
 * Each page is built off-screen and shown when ready; a page whose route was left while it loaded is dropped (and
 * its live stream closed), so quick navigation never mixes two pages.
 */
async function render() {
  const hash = location.hash || '#/';
  if (!hash.startsWith('#/')) return; // an in-page link (skip link, error summary)
  const token = ++rendering;
  if (leave) { leave(); leave = null; }
  if (!session.current()) return signInPage();
  const found = routes.map(([pattern, page]) => [hash.match(pattern), page]).find(([m]) => m);
  markNav(hash);
  const view = document.createElement('div');
  let stop = null;
  if (!found) {
    put(view, h('h1', {}, 'No such page'), h('p', {}, h('a', { href: '#/' }, 'Back to your topics')));
  } else {
    main.setAttribute('aria-busy', 'true');
    try {
      stop = await found[1]()(view, context(), ...found[0].slice(1).map(decodeURIComponent)) || null;
    } catch (e) {
      if (e.status === 401) return;
      clear(view);
      put(view, h('h1', {}, 'Something went wrong'), notice(e.message, true));
    }
  }
  if (token !== rendering) {
    if (stop) stop();
    return;
  }
  leave = stop;
  main.removeAttribute('aria-busy');
  put(clear(main), view);
  main.focus();
}

function markNav(hash) {
  for (const a of document.querySelectorAll('#nav a')) {
    const here = hash === a.getAttribute('href') || hash.startsWith(a.getAttribute('href') + '/')
      || (hash === '#/' && a.getAttribute('href') === '#/topics');
    if (here) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
}

function signInPage(message) {
  rendering++; // whatever page was loading is not shown over this one
  document.getElementById('nav').hidden = true;
  clear(document.getElementById('who'));
  document.title = 'Sign in · Kafka Concierge';
  const settings = session.getSettings() || {};
  const fail = (e) => {
    const old = main.querySelector('.notice.bad');
    if (old) old.remove();
    put(main, notice(e.message, true));
  };
  const choices = [];
  if (settings.oidc) {
    choices.push(h('button', { class: 'primary', type: 'button', id: 'signin-provider',
      onclick: () => session.providerSignIn().catch(fail) }, 'Sign in with your company account'));
  }
  if (settings.devLogin) {
    const dev = (as) => session.devSignIn(as).then(start).catch(fail);
    choices.push(h('button', { type: 'button', id: 'signin-demo', class: settings.oidc ? null : 'primary',
      onclick: () => dev('demo') }, 'Sign in as demo (team demo)'));
    choices.push(h('button', { type: 'button', id: 'signin-admin', onclick: () => dev('admin') },
      'Sign in as admin (platform admin)'));
  }
  put(clear(main), h('h1', {}, 'Sign in'),
    message ? notice(message) : null,
    h('p', {}, 'Ask for Kafka topics and instances, watch them become ready, and see who gets told.'),
    settings.devLogin ? h('p', {}, 'This is a local run: the one-click sign-in uses the key that ',
      h('code', {}, 'bin/concierge-local'), ' made under ', h('code', {}, '.local/identity/'),
      '. A production installation offers only the identity provider.') : null,
    choices.length ? h('div', { class: 'actions' }, choices)
      : notice('No way to sign in is configured: set quarkus.oidc.auth-server-url (the identity provider).', true));
  main.focus();
}

async function header() {
  me = await api.get('/api/v1/me');
  document.getElementById('nav').hidden = false;
  const who = clear(document.getElementById('who'));
  const teams = me.teams && me.teams.length ? 'team ' + me.teams.join(', ') : (me.roles || []).includes('admin') ? 'platform admin' : 'no team';
  put(who, h('span', { id: 'signed-in-as' }, 'Signed in as ', h('strong', {}, me.name || me.subject), ' (' + teams + ')'),
    h('button', { type: 'button', onclick: () => session.signOut() }, 'Sign out'));
}

async function start() {
  if (!session.current()) return signInPage();
  try {
    await header();
  } catch (e) {
    return signInPage(e.status === 401 ? 'Your session has ended: sign in again.' : e.message);
  }
  announce('Signed in');
  if (!location.hash || location.hash === '#') location.hash = '#/topics';
  else render();
}

api.whenSignedOut((message) => signInPage(message));
window.addEventListener('hashchange', render);

(async () => {
  try {
    const r = await fetch('/api/v1/console/settings', { credentials: 'omit', cache: 'no-store' });
    session.setSettings(r.ok ? await r.json() : {});
  } catch (e) {
    session.setSettings({});
  }
  try {
    await session.completeProviderSignIn();
  } catch (e) {
    return signInPage(e.message);
  }
  start();
})();
