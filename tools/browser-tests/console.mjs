// The web console in a real browser: Debian's chromium driven by Playwright's core library (no browser download).
// Run by e2e ConsoleIT against the packaged services and a real broker; every check throws, so a failure exits 1.
//
// Environment: CONSOLE_URL (the API of a local-profile run with the one-click sign-in), SSO_CONSOLE_URL (optional: an
// API trusting Keycloak) with SSO_USER and SSO_PASSWORD, SCREENSHOTS (a folder), CHROMIUM (default /usr/bin/chromium);
// APPROVAL_CLUSTER (optional: a cluster whose policy wants one platform admin's approval) and OTHER_TEAM_TOKEN (a
// token of the same local identity for a member of another team) for the approval and the other-team checks.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';

const CONSOLE_URL = process.env.CONSOLE_URL;
const SSO_URL = process.env.SSO_CONSOLE_URL;
const SHOTS = process.env.SCREENSHOTS || 'target/console-screenshots';
const WAIT = 90_000;
// every line says when it was reached, so that the log shows what each part of the run costs
const T0 = Date.now();
const print = console.log;
console.log = (...args) => print(`[${((Date.now() - T0) / 1000).toFixed(1)} s]`, ...args);
mkdirSync(SHOTS, { recursive: true });

function check(condition, message) {
  if (!condition) throw new Error('FAILED: ' + message);
}

/** A fresh browser context that records console errors, page errors and every request's origin. */
async function session(browser, base, allowedOrigins = [], viewport = { width: 1280, height: 900 }, expected = () => false) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const problems = [];
  const origins = new Set([new URL(base).origin, ...allowedOrigins]);
  // Chromium logs every answer >= 400 as "Failed to load resource"; the only ones expected are the 422s the tests
  // provoke on purpose (checked below, by the response itself): any other error is a problem
  page.on('console', m => {
    if (m.type() === 'error' && !/^Failed to load resource: the server responded with a status of (422|404)\b/.test(m.text())) {
      problems.push('console error: ' + m.text());
    }
  });
  page.on('response', r => {
    const u = new URL(r.url());
    const deliberate = (r.status() === 422 && r.request().method() === 'POST' && /^\/api\/v1\/(topics|instances)$/.test(u.pathname))
      || (r.status() === 422 && r.request().method() === 'PATCH' && /^\/api\/v1\/topics\/[^/]+\/[^/]+$/.test(u.pathname))
      || expected(r.status(), r.request().method(), u.pathname);
    if (r.status() >= 400 && !deliberate && u.origin === new URL(base).origin) {
      problems.push(`answer ${r.status()} to ${r.request().method()} ${u.pathname}`);
    }
  });
  page.on('pageerror', e => problems.push('page error: ' + e.message));
  page.on('request', r => {
    const u = new URL(r.url());
    if (u.protocol === 'data:') return;
    if (!origins.has(u.origin)) problems.push('request to another origin: ' + r.url());
    if (/[?&](access_token|token)=/.test(r.url())) problems.push('a token in a URL: ' + r.url());
  });
  page.setDefaultTimeout(WAIT);
  return { context, page, problems };
}

async function finish(s, what) {
  check(s.problems.length === 0, `${what}: ${s.problems.join('; ')}`);
  await s.context.close();
  console.log(`ok - ${what}: no console errors, no request to another origin`);
}

async function shot(page, name) {
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

async function signInAsDemo(page) {
  await page.goto(CONSOLE_URL + '/console/');
  await page.getByRole('button', { name: 'Sign in as demo' }).click();
  await page.getByText('Signed in as demo-user').waitFor();
}

async function askForATopicWithAWrongFieldThenFixItAndWatchItBecomeReady(browser) {
  const s = await session(browser, CONSOLE_URL);
  const { page } = s;
  await page.goto(CONSOLE_URL + '/console/');
  await shot(page, 'sign-in');
  await page.getByRole('button', { name: 'Sign in as demo' }).click();
  await page.getByText('Signed in as demo-user').waitFor();
  check(await page.evaluate(() => localStorage.length) === 0, 'nothing in localStorage');
  check(!page.url().includes('eyJ'), 'no token in the address');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Ask for a topic' }).click();
  await page.getByLabel('Topic name').fill('orders with spaces!');
  await page.getByLabel('Partitions').fill('0');
  await page.getByLabel('retention.ms').fill('a week');
  await page.getByLabel('Other configs').fill('compression.type=smallest');
  await page.getByRole('button', { name: /Ask for it|Review the plan/ }).click();

  // the API's field errors, each beside its field, and the summary gets the focus
  const nameError = page.locator('[data-field="name"] .error');
  await nameError.waitFor({ state: 'visible' });
  check(/name/i.test(await nameError.textContent()) || (await nameError.textContent()).length > 5, 'the name error says why');
  check(await page.getByLabel('Topic name').getAttribute('aria-invalid') === 'true', 'the name field is marked invalid');
  const describedBy = await page.getByLabel('Topic name').getAttribute('aria-describedby');
  check(describedBy.includes(await nameError.getAttribute('id')), 'the error is tied to its field (aria-describedby)');
  for (const [field, says] of [['partitions', 'from 1 to'], ['config.retention.ms', 'retention.ms'], ['config', 'compression.type']]) {
    const error = page.locator(`[data-field="${field}"] .error`);
    await error.waitFor({ state: 'visible' });
    check((await error.textContent()).includes(says), `the error beside ${field} says ${says}: ${await error.textContent()}`);
  }
  check((await page.locator('.summary li').count()) === 4, 'the summary lists the four errors');
  check(await page.evaluate(() => document.activeElement.classList.contains('summary')), 'the error summary has the focus');
  await shot(page, 'topic-form-errors');

  const name = 'orders-' + randomUUID().slice(0, 8);
  await page.getByLabel('Topic name').fill(name);
  await page.getByLabel('Partitions').fill('3');
  await page.getByLabel('retention.ms').fill('604800000');
  await page.getByLabel('Other configs').fill('compression.type=zstd');
  await page.evaluate(() => { window.__notReloaded = true; });
  let button = page.getByRole('button', { name: /Ask for it|Review the plan/ });
  const dryRun = (await button.textContent()).includes('Review');
  await button.click();
  if (dryRun) {
    await page.locator('#plan').waitFor();
    await shot(page, 'topic-plan');
    await page.getByRole('button', { name: /^Submit/ }).click();
  }
  await page.waitForURL(/#\/requests\//);
  await page.locator('#live', { hasText: 'Live' }).waitFor();
  await page.locator('#request-state[data-state="READY"]').waitFor({ timeout: WAIT });
  check(await page.evaluate(() => window.__notReloaded === true), 'the request page reached READY without a reload');
  const steps = await page.locator('#timeline li').allTextContents();
  check(steps.some(t => t.includes('ACCEPTED')) && steps.some(t => t.includes('READY')), 'the steps show ACCEPTED and READY: ' + steps);
  await shot(page, 'request-ready');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Topics' }).click();
  const row = page.getByRole('row', { name: new RegExp(name) });
  await row.waitFor();
  check((await row.textContent()).includes('READY'), 'the topic is READY in the list');
  await page.getByLabel('State').selectOption('FAILED');
  await page.getByText('0 topic(s)').or(page.getByText('No topics here yet')).first().waitFor();
  await page.getByLabel('State').selectOption('READY');
  await page.getByRole('row', { name: new RegExp(name) }).waitFor();
  await shot(page, 'topics');

  // its details and how to connect (the registered cluster's bootstrap servers)
  await page.getByRole('link', { name, exact: true }).click();
  await page.getByRole('heading', { name: `Topic ${name}` }).waitFor();
  await page.getByRole('heading', { name: 'History' }).waitFor();
  const bootstrap = await page.locator('#bootstrap-servers').textContent();
  check(/^[\w.-]+:\d+/.test(bootstrap), 'the topic page shows the cluster\'s bootstrap servers: ' + bootstrap);
  check((await page.locator('#client-config').textContent()).includes('bootstrap.servers=' + bootstrap), 'and a client config with them');
  await shot(page, 'topic');

  // change it: fewer partitions is refused beside the field; more, and a config, go through the plan to READY
  await page.getByRole('link', { name: 'Change this topic' }).click();
  await page.getByRole('heading', { name: `Change topic ${name}` }).waitFor();
  check(await page.getByLabel('Partitions').inputValue() === '3', 'the change form starts from the topic as it is');
  check(await page.getByLabel('retention.ms').inputValue() === '604800000', 'with its configs');
  await page.getByLabel('Partitions').fill('2');
  await page.getByRole('button', { name: /Change it|Review the plan/ }).click();
  const partitionsError = page.locator('[data-field="partitions"] .error');
  await partitionsError.waitFor({ state: 'visible' });
  check((await partitionsError.textContent()).includes('only grow'), 'fewer partitions: the error beside the field says they only grow: '
    + await partitionsError.textContent());
  check(await page.getByLabel('Partitions').getAttribute('aria-invalid') === 'true', 'the partitions field is marked invalid');
  await page.getByLabel('Partitions').fill('6');
  await page.getByLabel('retention.ms').fill('86400000');
  button = page.getByRole('button', { name: /Change it|Review the plan/ });
  if ((await button.textContent()).includes('Review')) {
    await button.click();
    await page.locator('#plan').waitFor();
    check((await page.locator('#plan').textContent()).includes('accepted and made now'), 'the plan says it goes through at once');
    await shot(page, 'topic-change-plan');
    await page.getByRole('button', { name: /^Submit/ }).click();
  } else {
    await button.click();
  }
  await page.waitForURL(/#\/requests\//);
  await page.locator('#request-state[data-state="READY"]').waitFor({ timeout: WAIT });
  check((await page.locator('#request').textContent()).includes('UPDATE'), 'the request is the update');
  await page.locator('#request').getByRole('link', { name: new RegExp(`topic ${name}`) }).first().click();
  await page.getByRole('heading', { name: `Topic ${name}` }).waitFor();
  const facts = await page.locator('dl.facts').first().textContent();
  check(/Partitions\s*6/.test(facts), 'the topic has 6 partitions now: ' + facts);
  await page.getByRole('row', { name: /retention\.ms\s*86400000/ }).waitFor();
  console.log(`ok - changed ${name}: fewer partitions refused beside the field, then 6 partitions and retention.ms through the plan to READY`);

  // then delete it and watch that too
  page.once('dialog', d => d.accept());
  await page.getByRole('button', { name: 'Delete this topic' }).click();
  await page.locator('#request-state[data-state="DELETED"]').waitFor({ timeout: WAIT });
  check(await page.evaluate(() => window.__notReloaded === true), 'no reload while deleting');
  console.log(`ok - asked for ${name} with wrong fields, saw the errors beside them, fixed them, watched it become READY live, deleted it`);

  // subscriptions, on the notifier, reached through this origin
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Subscriptions' }).click();
  await page.getByRole('link', { name: 'Add a subscription' }).click();
  await page.getByLabel('Description').fill('console test hook');
  await page.getByLabel('Webhook URL').fill('http://127.0.0.1:9/hook');
  await page.getByLabel('topic.ready').check();
  await page.getByRole('button', { name: 'Add it' }).click();
  const secret = await page.locator('#new-secret pre').textContent();
  check(secret.startsWith('whsec_'), 'the new secret is shown once');
  await page.getByRole('link', { name: /See it/ }).click();
  await page.getByRole('heading', { name: 'console test hook' }).waitFor();
  check(!(await page.content()).includes(secret), 'the secret is not shown again');
  await page.getByRole('button', { name: 'Send a test event' }).click();
  await page.locator('#subscription-actions-result .notice').waitFor();
  await page.getByRole('table', { name: /Recent deliveries/ }).waitFor();
  page.once('dialog', d => d.accept());
  await page.getByRole('button', { name: 'Rotate the secret' }).click();
  const rotated = await page.locator('#new-secret pre').textContent();
  check(rotated.startsWith('whsec_') && rotated !== secret, 'a rotated secret is new and shown once');
  await shot(page, 'subscription');
  console.log('ok - made a webhook subscription, tested it, saw its deliveries, rotated its secret');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Approvals' }).click();
  await page.getByRole('heading', { name: 'Waiting for approval' }).waitFor();
  await page.locator('main .notice, main p, main section').first().waitFor();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Instances' }).click();
  await page.getByRole('heading', { name: 'Dedicated instances' }).waitFor();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Ask for an instance' }).click();
  await page.getByLabel('Instance name').fill('Not_A_Dns_Label');
  await page.getByRole('button', { name: /Ask for it|Review the plan/ }).click();
  await page.locator('[data-field="name"] .error').waitFor({ state: 'visible' });
  console.log('ok - the approvals, instances and instance form pages answer');
  await finish(s, 'one-click sign-in and the whole flow');
}

async function keyboardOnly(browser) {
  const s = await session(browser, CONSOLE_URL);
  const { page } = s;
  await page.goto(CONSOLE_URL + '/console/');
  await page.getByRole('button', { name: 'Sign in as demo' }).waitFor();
  const focused = () => page.evaluate(() => {
    const el = document.activeElement;
    const label = el.labels && el.labels[0] ? el.labels[0].textContent : '';
    return { tag: el.tagName, text: (el.textContent || '').trim(), label: label.trim(), id: el.id,
      outline: getComputedStyle(el).outlineStyle };
  });
  async function tabTo(predicate, what, limit = 40) {
    for (let i = 0; i < limit; i++) {
      await page.keyboard.press('Tab');
      const f = await focused();
      if (predicate(f)) {
        check(f.outline !== 'none', `the focus on ${what} is visible`);
        return f;
      }
    }
    throw new Error(`FAILED: ${what} cannot be reached with Tab`);
  }
  await tabTo(f => f.text.startsWith('Sign in as demo'), 'the sign-in button');
  await page.keyboard.press('Enter');
  await page.getByText('Signed in as demo-user').waitFor();
  await tabTo(f => f.tag === 'A' && f.text === 'Ask for a topic', 'the "Ask for a topic" link');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Ask for a topic' }).waitFor();
  // the form in its order: every field reachable, each with its label
  const order = [];
  await tabTo(f => f.label.startsWith('Team'), 'the team');
  order.push('Team');
  for (const [label, text] of [['Cluster', null], ['Topic name', 'kb-' + randomUUID().slice(0, 8)], ['Partitions', null],
    ['Replication factor', null], ['retention.ms', null], ['cleanup.policy', null], ['min.insync.replicas', null],
    ['max.message.bytes', null], ['Other configs', null], ['Description', 'typed with the keyboard only']]) {
    await page.keyboard.press('Tab');
    const f = await focused();
    check(f.label.startsWith(label), `Tab moves from ${order.at(-1)} to ${label} (was "${f.label}")`);
    check(f.outline !== 'none', `the focus on ${label} is visible`);
    order.push(label);
    if (text) await page.keyboard.type(text);
  }
  await page.keyboard.press('Enter'); // submits the form from a text field
  // either the dry run's plan appears (the API has dry runs) or the request's page opens: wait for one of them
  // (the one that loses must not end the script later as an unhandled rejection)
  await Promise.race([page.locator('#plan').waitFor({ timeout: WAIT }).catch(() => {}),
    page.waitForURL(/#\/requests\//, { timeout: WAIT }).catch(() => {})]);
  const dryRun = await page.locator('#plan').isVisible().catch(() => false);
  if (dryRun) {
    await tabTo(f => f.tag === 'BUTTON' && f.text.startsWith('Submit'), 'the submit button');
    await page.keyboard.press('Enter');
  }
  await page.waitForURL(/#\/requests\//);
  await page.locator('#request-state[data-state="READY"]').waitFor({ timeout: WAIT });
  console.log('ok - signed in, reached the form, filled it and submitted it with the keyboard only: ' + order.join(' > '));
  await finish(s, 'keyboard only');
}

async function narrowWindow(browser) {
  const s = await session(browser, CONSOLE_URL, [], { width: 360, height: 740 });
  const { page } = s;
  await signInAsDemo(page);
  for (const route of ['#/topics', '#/ask/topic', '#/subscriptions']) {
    await page.goto(CONSOLE_URL + '/console/' + route);
    await page.locator('main h1').waitFor();
    await page.locator('main h1', { hasNotText: 'Kafka Concierge' }).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(overflow <= 1, `${route} fits a 360 px window (overflows by ${overflow} px)`);
  }
  await page.goto(CONSOLE_URL + '/console/#/topics');
  await page.locator('#results').waitFor();
  await shot(page, 'topics-narrow');
  console.log('ok - fits a narrow window');
  await finish(s, 'narrow window');
}

async function providerSignIn(browser) {
  const keycloak = new URL(process.env.SSO_ISSUER).origin;
  const s = await session(browser, SSO_URL, [keycloak]);
  const { page } = s;
  await page.goto(SSO_URL + '/console/');
  check(!(await page.getByRole('button', { name: 'Sign in as demo' }).count()), 'no one-click sign-in with a real provider');
  await page.getByRole('button', { name: 'Sign in with your company account' }).click();
  await page.waitForURL(u => u.origin === keycloak);
  await page.locator('#username').fill(process.env.SSO_USER);
  await page.locator('#password').fill(process.env.SSO_PASSWORD);
  await shot(page, 'keycloak');
  await page.locator('#kc-login').click();
  await page.waitForURL(u => u.origin === new URL(SSO_URL).origin);
  await page.getByText('Signed in as ' + process.env.SSO_USER).waitFor();
  check(!page.url().includes('code='), 'the one-time code is gone from the address');
  check(await page.evaluate(() => localStorage.length) === 0, 'nothing in localStorage');
  await page.getByRole('heading', { name: 'Topics' }).waitFor();
  await page.locator('#results').waitFor();
  console.log('ok - signed in with the authorization-code flow and PKCE at Keycloak');
  await finish(s, 'provider sign-in');
}

/** A token the one-click sign-in does not offer (a member of another team), put where a sign-in puts it. */
async function signInWithToken(context, token) {
  await context.addInitScript((t) => {
    if (!sessionStorage.getItem('concierge.session')) {
      sessionStorage.setItem('concierge.session', JSON.stringify({ accessToken: t, how: 'dev' }));
    }
  }, token);
}

async function anApproverApprovesAWaitingRequestAndAnotherTeamSeesNothingOfIt(browser) {
  const cluster = process.env.APPROVAL_CLUSTER;
  // demo asks for a topic on a cluster whose policy wants a platform admin's approval
  const s = await session(browser, CONSOLE_URL);
  const { page } = s;
  await signInAsDemo(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Ask for a topic' }).click();
  // the topics page has a "Cluster" filter too: fill the form's field only once the form has replaced that page
  await page.locator('#topic-form').waitFor();
  const name = 'approved-' + randomUUID().slice(0, 8);
  await page.locator('#topic-form').getByLabel('Cluster').fill(cluster);
  await page.getByLabel('Topic name').fill(name);
  await page.getByLabel('Partitions').fill('2');
  await page.getByRole('button', { name: 'Review the plan' }).click();
  await page.locator('#plan').waitFor();
  const plan = await page.locator('#plan').textContent();
  check(plan.includes('It will wait for approval') && plan.includes('1 approval(s) from the platform admins'),
    'the plan says it waits for one platform admin: ' + plan);
  await shot(page, 'topic-plan-approval');
  await page.getByRole('button', { name: 'Submit for approval' }).click();
  await page.waitForURL(/#\/requests\//);
  const requestId = decodeURIComponent(page.url().split('#/requests/')[1]);
  await page.locator('#request-state[data-state="AWAITING_APPROVAL"]').waitFor();
  await page.locator('#live', { hasText: 'Live' }).waitFor();
  await page.evaluate(() => { window.__notReloaded = true; });
  check(!(await page.getByRole('button', { name: 'Approve', exact: true }).count()), 'the requester gets no approve button');

  // a platform admin, in another browser, finds it in the queue and approves it with a comment
  const a = await session(browser, CONSOLE_URL);
  await a.page.goto(CONSOLE_URL + '/console/');
  await a.page.getByRole('button', { name: 'Sign in as admin' }).click();
  await a.page.getByText('Signed in as platform-admin').waitFor();
  await a.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Approvals' }).click();
  await a.page.getByRole('heading', { name: 'Waiting for approval' }).waitFor();
  const item = a.page.locator('section', { has: a.page.getByRole('heading', { name: `${cluster}/${name}` }) });
  await item.waitFor();
  check((await item.textContent()).includes('demo'), 'the queue shows the team');
  await item.getByLabel('Comment').fill('fine for the launch');
  await shot(a.page, 'approvals');
  await item.getByRole('button', { name: 'Approve' }).click();
  await item.getByText('Approved.').waitFor();
  await finish(a, 'the approver');

  // the requester's page, still open, follows it to READY
  await page.locator('#request-state[data-state="READY"]').waitFor({ timeout: WAIT });
  check(await page.evaluate(() => window.__notReloaded === true), 'the requester\'s page reached READY without a reload');
  const steps = await page.locator('#timeline li').allTextContents();
  check(steps.some(t => t.includes('AWAITING APPROVAL')) && steps.some(t => t.includes('READY')),
    'the steps show AWAITING APPROVAL and READY: ' + steps);
  console.log(`ok - ${name} waited for approval, a platform admin approved it in the queue, and the requester's page reached READY live`);
  await finish(s, 'approval');

  // a member of another team: not in the lists, not by its address
  const expected404 = (status, method, path) => status === 404 && method === 'GET'
    && (path === `/api/v1/topics/${cluster}/${name}` || path === `/api/v1/requests/${requestId}`);
  const o = await session(browser, CONSOLE_URL, [], undefined, expected404);
  await signInWithToken(o.context, process.env.OTHER_TEAM_TOKEN);
  await o.page.goto(CONSOLE_URL + '/console/#/topics');
  await o.page.getByText(/Signed in as .*analytics/).waitFor();
  await o.page.locator('#results').waitFor();
  await o.page.locator('#results table, #results p').first().waitFor();
  check(!(await o.page.locator('#results').textContent()).includes(name), 'another team\'s topic is not in the list');
  await o.page.goto(CONSOLE_URL + `/console/#/topics/${cluster}/${name}`);
  await o.page.getByRole('heading', { name: 'No such topic' }).waitFor();
  check(!(await o.page.locator('main').textContent()).includes('demo'), 'nothing of the topic is shown');
  await o.page.goto(CONSOLE_URL + `/console/#/requests/${requestId}`);
  await o.page.getByText('No such request').waitFor();
  check(!(await o.page.locator('main').textContent()).includes(name), 'nothing of the request is shown');
  await o.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Approvals' }).click();
  await o.page.getByRole('heading', { name: 'Waiting for approval' }).waitFor();
  await o.page.locator('main p, main section').first().waitFor();
  check(!(await o.page.locator('main').textContent()).includes(name), 'nor in the approvals');
  console.log(`ok - a member of another team sees nothing of ${name}: not in the topics, not at its address, not its request`);
  await finish(o, 'another team');
}

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox', '--disable-dev-shm-usage'] });
try {
  const only = process.env.ONLY;
  if (CONSOLE_URL && (!only || only === 'flow')) await askForATopicWithAWrongFieldThenFixItAndWatchItBecomeReady(browser);
  if (CONSOLE_URL && (!only || only === 'keyboard')) await keyboardOnly(browser);
  if (CONSOLE_URL && (!only || only === 'narrow')) await narrowWindow(browser);
  if (CONSOLE_URL && process.env.APPROVAL_CLUSTER && (!only || only === 'approval')) {
    await anApproverApprovesAWaitingRequestAndAnotherTeamSeesNothingOfIt(browser);
  }
  if (SSO_URL && (!only || only === 'sso')) await providerSignIn(browser);
} catch (e) {
  console.error(e.stack || String(e));
  process.exitCode = 1;
  // what the page showed when it failed
  for (const context of browser.contexts()) {
    for (const [i, page] of context.pages().entries()) {
      await page.screenshot({ path: `${SHOTS}/failure-${i}.png`, fullPage: true }).catch(() => {});
      console.error(`at failure, page ${i}: ${page.url()}`);
    }
  }
} finally {
  await browser.close();
}
