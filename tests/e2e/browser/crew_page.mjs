// Real headless Chromium on a phone-sized screen. Mode "crew": a crew logs in, sees the job,
// acknowledges it and checks in on site (the browser gives a position). Mode "station": the
// station's duty officer sees 待确认 on an uncertain job, corrects the call from the card, and
// the badge goes. Prints one JSON line of findings.
// Usage: node crew_page.mjs URL PHONE CODE JOB_ID SCREENSHOT_PATH [crew|station]
import { launch, login } from './launch.mjs';

const [url, phone, code, jobId, screenshot, mode = 'crew'] = process.argv.slice(2);
const browser = await launch(url);
const findings = {};

async function station(page) {
  const card = page.locator(`li.job[data-id="${jobId}"]`);
  await card.waitFor();
  findings.badge = await card.locator('.badge').textContent();
  findings.unsure = await card.locator('.unsure').textContent();
  findings.unsure_label = await card.locator('.unsure').getAttribute('aria-label');
  findings.unsure_note = await card.locator('.unsure-note').textContent();
  await card.locator('button[data-action="reclassify"]').click();
  const form = card.locator('form.reclassify');
  await form.waitFor();
  findings.form_title = await form.locator('.title').textContent();
  // Choosing a category brings its urgency with it.
  await form.locator('select[name="category"]').selectOption('seepage');
  findings.urgency_chosen = await form.locator('select[name="urgency"]').inputValue();
  await form.locator('input[name="reason"]').fill('电话核实：墙面渗水，不是水管在漏');
  findings.min_control_height = await form.evaluate((f) =>
    Math.min(...Array.from(f.querySelectorAll('select, input, button')).map((b) => b.getBoundingClientRect().height)));
  findings.scroll_width = await page.evaluate(() => document.documentElement.scrollWidth);
  if (screenshot) await page.screenshot({ path: screenshot.replace(/\.png$/, '-reclassify.png'), fullPage: true });
  await form.getByRole('button', { name: '确认改判' }).click();
  await card.locator('.unsure').waitFor({ state: 'detached' });
  findings.unsure_after = await card.locator('.unsure').count();
  findings.badge_after = await card.locator('.badge').textContent();
  findings.category_after = await card.locator('.category').textContent();
  findings.form_after = await card.locator('form.reclassify').count();
  findings.banner = await page.locator('#banner').textContent();
}

async function crew(page, context) {
  const card = page.locator(`li.job[data-id="${jobId}"]`);
  await card.waitFor();
  findings.badge = await card.locator('.badge').textContent();
  findings.secure_context = await page.evaluate(() => window.isSecureContext);
  const cookie = (await context.cookies()).find((c) => c.name === 'hh_session');
  findings.cookie = cookie && { secure: cookie.secure, httpOnly: cookie.httpOnly, sameSite: cookie.sameSite };
  findings.reclassify = await card.locator('button[data-action="reclassify"]').textContent();
  findings.countdown = await card.locator('.timers').textContent();
  findings.phone_before = await card.locator('.reporter').textContent();
  findings.linked = await card.locator('.linked').textContent();
  findings.meta = await card.locator('.meta').textContent();
  if (screenshot) await page.screenshot({ path: screenshot.replace(/\.png$/, '-before.png'), fullPage: true });

  await card.getByRole('button', { name: '接单' }).click();
  await card.locator('.state', { hasText: '已接单' }).waitFor();
  findings.phone_after = await page.locator(`li.job[data-id="${jobId}"] .reporter`).textContent();

  await page.locator(`li.job[data-id="${jobId}"]`).getByRole('button', { name: '到场' }).click();
  await page.locator(`li.job[data-id="${jobId}"] .state`, { hasText: '已到场' }).waitFor();
  findings.after_arrival = await page.locator(`li.job[data-id="${jobId}"] .timers`).textContent();
  findings.scroll_width = await page.evaluate(() => document.documentElement.scrollWidth);
  findings.min_button_height = await page.evaluate(() =>
    Math.min(...Array.from(document.querySelectorAll('#list button.big')).map((b) => b.getBoundingClientRect().height)));

  // Offline: the page says so instead of failing silently.
  await context.setOffline(true);
  await page.evaluate(() => window.dispatchEvent(new Event('offline')));
  findings.offline_banner = await page.locator('#banner').textContent();
  await context.setOffline(false);
}

try {
  const context = await browser.newContext({
    viewport: { width: 360, height: 640 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
    locale: 'zh-CN', geolocation: { latitude: 31.1523, longitude: 121.5031, accuracy: 12 },
    permissions: ['geolocation'],
    // The TLS test's certificate is its own, made for the run.
    ignoreHTTPSErrors: url.startsWith('https:'),
  });
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  await page.goto(url);
  await login(page, phone, code);
  await (mode === 'station' ? station(page) : crew(page, context));
  if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
} finally {
  await browser.close();
}
console.log(JSON.stringify(findings));
