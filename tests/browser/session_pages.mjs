// Drives the system's Chromium (playwright-core, no browser download) through a
// generated service's HTML pages and prints ONE JSON object of findings on stdout.
// It asserts nothing itself (tests/test_browser.py does): it only crashes on
// unexpected errors (a selector that never appears, a browser that won't start).
//
// Environment:
//   CHROMIUM          the browser binary
//   SERVICE_URL       the service behind its TLS-terminating proxy, e.g. https://localhost:8443
//   CROSS_SITE_URL    another site serving the attack pages, e.g. http://127.0.0.1:8081
//   SAME_SITE_URL     another origin of the service's own site serving the same pages, e.g. https://localhost:8444
//   APP_USERNAME, APP_PASSWORD   a registered user
//
// The attack pages (served by the test, on both foreign origins):
//   /csrf/logout, /csrf/login   a form posting to the service's /logout or /login, submitted by its button
//   /frame/account, /frame/login an <iframe> of that service page
//   /frame/control              an <iframe> of SAME_SITE_URL/plain (framable: proves the detection sees a loaded frame)
import { chromium } from 'playwright-core';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const SERVICE = env('SERVICE_URL');
const CROSS_SITE = env('CROSS_SITE_URL');
const SAME_SITE = env('SAME_SITE_URL');
const USERNAME = env('APP_USERNAME');
const PASSWORD = env('APP_PASSWORD');
const COOKIE = '__Host-sid';
const SERVICE_ORIGIN = new URL(SERVICE).origin;

const findings = {
  browser: null,
  visits: [], // every top-level page shown: { phase, url, status, title, h1, secureContext }
  cspViolations: [], // securitypolicyviolation events, any frame: { phase, documentURI, directive, blockedURI }
  consoleErrors: [], // console errors and uncaught page errors: { phase, origin, text }
  requests: [], // requests to the service's form endpoints: { phase, method, url, status, secFetchSite, sentCookie }
  login: {},
  cookie: {},
  csrf: {},
  framing: {},
  logout: {},
  canary: {},
};

const browser = await chromium.launch({
  executablePath: env('CHROMIUM'),
  headless: true,
  timeout: 30_000,
  // Playwright gives every launch a new empty --user-data-dir of its own.
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
findings.browser = browser.version();

let phase = 'setup';
try {
  // The proxy's certificate is a throwaway self-signed one made by the test.
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(15_000);

  // Every CSP violation in every frame of every page, reported straight to this
  // process (a binding survives navigations; the listener is added before any page script runs).
  await context.exposeBinding('__reportCspViolation', (source, violation) => {
    findings.cspViolations.push({ phase, frameUrl: source.frame.url(), ...violation });
  });
  await context.addInitScript(() => {
    document.addEventListener(
      'securitypolicyviolation',
      (event) => {
        window.__reportCspViolation({
          documentURI: event.documentURI,
          directive: event.effectiveDirective,
          blockedURI: event.blockedURI,
          disposition: event.disposition,
          sample: event.sample,
        });
      },
      true,
    );
  });

  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    findings.consoleErrors.push({ phase, origin: originOf(page.url()), text: message.text() });
  });
  page.on('pageerror', (error) => {
    findings.consoleErrors.push({ phase, origin: originOf(page.url()), text: `uncaught: ${error.message}` });
  });
  page.on('requestfinished', (request) => recordFormRequest(request));
  page.on('requestfailed', (request) => recordFormRequest(request));

  const sessionCookie = async () => (await context.cookies(SERVICE)).find((cookie) => cookie.name === COOKIE) ?? null;

  async function visit(what, response) {
    const entry = {
      phase,
      what,
      url: page.url(),
      status: response ? response.status() : null,
      title: await page.title(),
      h1: await textOf('h1'),
      secureContext: await page.evaluate(() => window.isSecureContext),
    };
    findings.visits.push(entry);
    return entry;
  }

  async function textOf(selector) {
    const element = await page.$(selector);
    return element ? (await element.textContent()).trim() : null;
  }

  // --- 1. sign in through the form --------------------------------------------------------------------
  phase = 'login';
  await visit('sign-in form', await page.goto(`${SERVICE}/login`));
  findings.login.anonymousCookie = (await sessionCookie())?.value ?? null;

  await page.fill('#username', USERNAME);
  await page.fill('#password', 'not the password at all');
  const refused = await navigation(() => page.click('button[type=submit]'));
  const refusedVisit = await visit('wrong password', refused);
  findings.login.wrongPassword = { ...refusedVisit, alert: await textOf('[role=alert]') };

  await page.fill('#username', USERNAME);
  await page.fill('#password', PASSWORD);
  const account = await visit('account after sign-in', await navigation(() => page.click('button[type=submit]')));
  findings.login.afterSubmit = { ...account, shownUsername: await textOf('dd') };

  // --- 3. the session cookie: in the browser's jar, out of JavaScript's reach -----------------------------
  phase = 'cookie';
  const signedIn = await sessionCookie();
  findings.cookie = {
    inJar: signedIn && {
      httpOnly: signedIn.httpOnly,
      secure: signedIn.secure,
      sameSite: signedIn.sameSite,
      path: signedIn.path,
      domain: signedIn.domain,
    },
    changedAtSignIn: signedIn !== null && signedIn.value !== findings.login.anonymousCookie,
    documentCookie: await page.evaluate(() => document.cookie),
  };

  // --- 4. forms on other origins posting to the service -------------------------------------------------
  phase = 'csrf';
  for (const [site, base] of [
    ['crossSite', CROSS_SITE],
    ['sameSite', SAME_SITE],
  ]) {
    for (const target of ['logout', 'login']) {
      await page.goto(`${base}/csrf/${target}`);
      const response = await navigation(() => page.click('form button'));
      const shown = await visit(`${site} form posting to /${target}`, response);
      findings.csrf[`${site}-${target}`] = { ...shown, attackerPage: `${base}/csrf/${target}` };
    }
  }
  const afterAttacks = await page.goto(`${SERVICE}/account`);
  findings.csrf.accountAfterAttacks = {
    ...(await visit('account after the attacks', afterAttacks)),
    shownUsername: await textOf('dd'),
    sameCookie: (await sessionCookie())?.value === signedIn?.value,
  };

  // --- 5. framing --------------------------------------------------------------------------------------
  phase = 'framing';
  for (const [name, base, path] of [
    ['crossSite-account', CROSS_SITE, 'account'],
    ['crossSite-login', CROSS_SITE, 'login'],
    ['sameSite-account', SAME_SITE, 'account'],
    ['control', CROSS_SITE, 'control'],
  ]) {
    const consoleBefore = findings.consoleErrors.length;
    const framedRequests = [];
    const onResponse = (response) => {
      if (response.request().frame() === page.mainFrame()) return;
      framedRequests.push({ url: response.url(), status: response.status() });
    };
    page.on('response', onResponse);
    await page.goto(`${base}/frame/${path}`, { waitUntil: 'load' }); // waits for the iframe's load too
    await page.waitForTimeout(300); // console messages about a refused frame arrive just after
    page.off('response', onResponse);
    const iframe = await page.$('iframe');
    const frame = iframe && (await iframe.contentFrame());
    let content = null;
    try {
      content =
        frame &&
        (await frame.evaluate(() => ({
          h1: document.querySelector('h1')?.textContent ?? null,
          body: document.body?.innerText.slice(0, 200) ?? '',
        })));
    } catch (error) {
      content = { error: String(error.message).split('\n')[0] };
    }
    findings.framing[name] = {
      page: page.url(),
      src: iframe && (await iframe.getAttribute('src')),
      frameUrl: frame ? frame.url() : null,
      content,
      framedResponses: framedRequests,
      consoleErrors: findings.consoleErrors.slice(consoleBefore).map((entry) => entry.text),
    };
  }

  // --- 1. sign out through the form --------------------------------------------------------------------
  phase = 'logout';
  await visit('account before sign-out', await page.goto(`${SERVICE}/account`));
  const signedOut = await visit('after sign-out', await navigation(() => page.click('form[action="/logout"] button')));
  const afterLogout = await sessionCookie();
  const revisit = await page.goto(`${SERVICE}/account`);
  const accountAgain = await visit('account after sign-out', revisit);
  // The old session id, put back into the jar: dead on the server too, not just forgotten by the browser.
  if (signedIn) {
    const { value } = signedIn;
    await context.addCookies([{ name: COOKIE, value, url: SERVICE, secure: true, httpOnly: true, sameSite: 'Strict' }]);
  }
  const replay = await page.goto(`${SERVICE}/account`);
  const replayed = await visit('account with the old session cookie', replay);
  findings.logout = {
    afterSubmit: signedOut,
    cookieAfterSignOut: !afterLogout
      ? 'none'
      : afterLogout.value === signedIn?.value
        ? 'the signed-in one'
        : 'another (anonymous) one',
    accountAgain,
    oldCookieReplayed: replayed,
  };

  // --- 2. canary: the violation listener does see a violation on a service page ------------------------
  // Once everything else is recorded: an inline script without the nonce, added by the test, must be refused.
  phase = 'canary';
  await page.goto(`${SERVICE}/login`);
  await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.__canaryRan = true;';
    document.body.append(script);
  });
  const deadline = Date.now() + 5_000;
  while (!findings.cspViolations.some((violation) => violation.phase === 'canary') && Date.now() < deadline) {
    await page.waitForTimeout(100);
  }
  findings.canary = {
    ran: await page.evaluate(() => window.__canaryRan === true),
    violations: findings.cspViolations.filter((violation) => violation.phase === 'canary').length,
    consoleErrors: findings.consoleErrors.filter((entry) => entry.phase === 'canary').length,
  };

  await context.close();

  // Clicks, then waits for the top-level navigation the click starts; its response.
  async function navigation(action) {
    const [response] = await Promise.all([page.waitForNavigation(), action()]);
    return response;
  }

  async function recordFormRequest(request) {
    if (originOf(request.url()) !== SERVICE_ORIGIN || request.method() !== 'POST') return;
    const during = phase;
    const headers = await request.allHeaders();
    const response = await request.response().catch(() => null);
    findings.requests.push({
      phase: during,
      method: request.method(),
      url: request.url(),
      status: response ? response.status() : null,
      secFetchSite: headers['sec-fetch-site'] ?? null,
      sentCookie: (headers.cookie ?? '').includes(`${COOKIE}=`),
    });
  }
} finally {
  await browser.close();
}

function originOf(url) {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

process.stdout.write(`${JSON.stringify(findings)}\n`);
