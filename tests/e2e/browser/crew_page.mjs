// Real headless Chromium on a phone-sized screen: a crew logs in, sees the job, acknowledges
// it and checks in on site (the browser gives a position). Prints one JSON line of findings.
// Usage: node crew_page.mjs URL PHONE CODE JOB_ID SCREENSHOT_PATH
import { launch, login } from './launch.mjs';

const [url, phone, code, jobId, screenshot] = process.argv.slice(2);
const browser = await launch();
const findings = {};
try {
  const context = await browser.newContext({
    viewport: { width: 360, height: 640 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
    locale: 'zh-CN', geolocation: { latitude: 31.1523, longitude: 121.5031, accuracy: 12 },
    permissions: ['geolocation'],
  });
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  await page.goto(url);
  await login(page, phone, code);

  const card = page.locator(`li.job[data-id="${jobId}"]`);
  await card.waitFor();
  findings.badge = await card.locator('.badge').textContent();
  findings.countdown = await card.locator('.timers').textContent();
  findings.phone_before = await card.locator('.reporter').textContent();
  findings.linked = await card.locator('.linked').textContent();
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
  if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
} finally {
  await browser.close();
}
console.log(JSON.stringify(findings));
