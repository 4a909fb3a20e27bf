// Real headless Chromium and the pages' session cookie.
// The board: the centre logs in; every URL the board requests (the event stream included) is
// recorded, and the cookie's attributes and the page's storage are read.
// The crew page: a crew logs in, then a page of another site posts to the engine (a form, and a
// fetch with credentials) to acknowledge the crew's job; then the crew page itself calls without
// its header and with it; then the crew logs out with the page's button.
// Prints one JSON line of findings; the test reads the job and Redis for the rest.
// Usage: node session_page.mjs BASE_URL CENTRE_PHONE CENTRE_CODE CREW_PHONE CREW_CODE JOB_ID
import { launch, login } from './launch.mjs';

const [base, centrePhone, centreCode, crewPhone, crewCode, jobId] = process.argv.slice(2);
const browser = await launch();
const findings = {};
const OTHER_SITE = 'http://other-site.test';

async function cookieOf(context) {
  return (await context.cookies(base)).find((c) => c.name === 'hh_session') || null;
}

async function board() {
  const context = await browser.newContext({ viewport: { width: 1600, height: 900 }, locale: 'zh-CN' });
  const urls = [];
  context.on('request', (r) => urls.push(r.url()));
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  await page.goto(base + '/board/');
  await login(page, centrePhone, centreCode);
  await page.locator(`#jobs tr[data-id="${jobId}"]`).waitFor();
  const cookie = await cookieOf(context);
  findings.board_cookie = cookie && { httpOnly: cookie.httpOnly, sameSite: cookie.sameSite, secure: cookie.secure,
                                      path: cookie.path };
  findings.board_token = cookie ? cookie.value : '';
  findings.board_urls = urls;
  findings.board_script_sees = await page.evaluate(() => document.cookie + JSON.stringify({ ...localStorage }));
  await context.close();
}

// A page of another site: a form that posts itself to the engine, and a fetch that sends
// whatever cookies the browser would.
function otherSitePage(target) {
  return `<!doctype html><meta charset="utf-8"><body>
<form id="f" method="POST" action="${target}" enctype="text/plain">
<input name='{"request_id":"forged-1","note":"' value='"}'></form>
<script>
fetch(${JSON.stringify(target)}, { method: 'POST', mode: 'no-cors', credentials: 'include',
  headers: { 'Content-Type': 'text/plain' }, body: '{"request_id":"forged-2"}' })
  .finally(() => document.getElementById('f').submit());
</script></body>`;
}

async function crew() {
  const context = await browser.newContext({ viewport: { width: 360, height: 640 }, locale: 'zh-CN' });
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  await page.goto(base + '/crew/');
  await login(page, crewPhone, crewCode);
  await page.locator('#logout').waitFor();
  const cookie = await cookieOf(context);
  findings.crew_token = cookie ? cookie.value : '';
  const target = `${base}/v1/crew/jobs/${encodeURIComponent(jobId)}/acknowledge`;
  await context.route(OTHER_SITE + '/**', (route) =>
    route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: otherSitePage(target) }));
  const other = await context.newPage();
  const answered = other.waitForResponse((r) => r.url() === target && r.request().resourceType() === 'document');
  await other.goto(OTHER_SITE + '/');
  const forged = await answered;
  findings.cross_site_form_status = forged.status();
  findings.cross_site_form_cookie_sent = 'cookie' in (await forged.request().allHeaders());
  await other.close();
  findings.state_after_other_site = await page.evaluate(async (path) => {
    const res = await fetch(path);
    return res.status === 200 ? (await res.json()).state : 'HTTP ' + res.status;
  }, `/v1/crew/jobs/${encodeURIComponent(jobId)}`);
  // The crew page's own origin, on the cookie: without the pages' header, then with it.
  const act = (headers) => page.evaluate(async ([path, h]) => {
    const res = await fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json', ...h },
                                    body: JSON.stringify({ request_id: 'own-' + Object.keys(h).length }) });
    return res.status;
  }, [`/v1/crew/jobs/${encodeURIComponent(jobId)}/acknowledge`, headers]);
  findings.own_without_header = await act({});
  findings.own_with_header = await act({ 'X-Requested-With': 'halfhour' });
  // The page's button ends the session.
  await page.locator('#logout').click();
  await page.getByLabel('手机号').waitFor();
  await page.waitForFunction(() => !document.querySelector('#logout') || document.querySelector('#logout').hidden);
  findings.cookie_after_logout = (await cookieOf(context)) !== null;
  await context.close();
}

try {
  await board();
  await crew();
} finally {
  await browser.close();
}
console.log(JSON.stringify(findings));
