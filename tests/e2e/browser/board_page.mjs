// Real headless Chromium on a wall-screen-sized window: the centre logs in to the live board,
// sees an urgent job whose countdown moves, and sees its breach appear when the clock runs out
// (the engine under test runs an 8-second on-site limit). Prints one JSON line of findings.
// Usage: node board_page.mjs URL PHONE CODE JOB_ID SCREENSHOT_PATH
import { launch, login } from './launch.mjs';

const [url, phone, code, jobId, screenshot] = process.argv.slice(2);
const browser = await launch();
const findings = {};
try {
  const page = await (await browser.newContext({ viewport: { width: 1600, height: 900 }, locale: 'zh-CN' })).newPage();
  page.setDefaultTimeout(15000);
  await page.goto(url);
  await login(page, phone, code);
  const row = page.locator(`#jobs tr[data-id="${jobId}"]`);
  await row.waitFor();
  const timer = row.locator('.timer[data-kind="onsite"]');
  findings.first = await timer.textContent();
  await page.waitForFunction(([sel, before]) => {
    const el = document.querySelector(sel);
    return el && el.textContent !== before;
  }, [`#jobs tr[data-id="${jobId}"] .timer[data-kind="onsite"]`, findings.first]);
  findings.second = await timer.textContent();
  // The breach: pushed by the engine when it records it, no reload.
  const breach = page.locator(`#breaches li[data-id="${jobId}"]`);
  await breach.waitFor();
  findings.breach = await breach.textContent();
  findings.timer_after = await timer.textContent();
  findings.timer_class = await timer.getAttribute('class');
  findings.today = await page.locator('#c-today').textContent();
  findings.reloads = await page.evaluate(() => performance.getEntriesByType('navigation').length);
  if (screenshot) await page.screenshot({ path: screenshot });
} finally {
  await browser.close();
}
console.log(JSON.stringify(findings));
