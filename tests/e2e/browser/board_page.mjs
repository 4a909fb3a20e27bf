// Real headless Chromium on a wall-screen-sized window: the centre logs in to the live board.
// Mode "countdown": once the board shows its first snapshot, the script files an urgent ticket
// itself (JOB is then the ticket's JSON), so a slow browser start eats none of the clock; the
// job's countdown moves, and its breach appears when the clock runs out (the engine under test
// runs an 8-second on-site limit).
// Mode "grades": the firms' grades of the month so far, the worst first, with their colours.
// Mode "unsure": an uncertain job shows 待确认 (a sure one does not) until the centre confirms
// the call, and then the badge goes, pushed by the engine. Prints one JSON line of findings.
// Usage: node board_page.mjs URL PHONE CODE JOB SCREENSHOT_PATH [countdown|grades|unsure [SURE_JOB_ID]]
import { launch, login } from './launch.mjs';

const [url, phone, code, job, screenshot, mode = 'countdown', sureId] = process.argv.slice(2);
let jobId = job;
const browser = await launch();
const findings = {};

async function countdown(page) {
  await page.locator('#no-jobs').waitFor();  // the first snapshot is on the wall: nothing open yet
  const res = await fetch(new URL('/v1/hotline/tickets', url), {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: job,
  });
  findings.filed = res.status;
  jobId = findings.job_id = (await res.json()).id;
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
}

async function unsure(page) {
  const badge = page.locator(`#jobs tr[data-id="${jobId}"] .unsure`);
  await badge.waitFor();
  await page.locator(`#jobs tr[data-id="${sureId}"]`).waitFor();
  findings.badge = await badge.textContent();
  findings.title = await badge.getAttribute('title');
  findings.aria_label = await badge.getAttribute('aria-label');
  // Found and measured in one go: the board redraws its rows every second, and a row it has
  // just replaced has no style left to measure.
  findings.font_px = await page.evaluate((id) => {
    const el = document.querySelector(`#jobs tr[data-id="${id}"] .unsure`);
    return el && parseFloat(getComputedStyle(el).fontSize);
  }, jobId);
  findings.sure_badges = await page.locator(`#jobs tr[data-id="${sureId}"] .unsure`).count();
  if (screenshot) await page.screenshot({ path: screenshot.replace(/\.png$/, '-unsure.png') });
  // The centre confirms the call, as the board's own session (its cookie, with the pages'
  // header): the engine pushes the change.
  findings.reclassify_status = await page.evaluate(async (id) => {
    const res = await fetch(`/v1/work-orders/${encodeURIComponent(id)}/reclassify`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'halfhour' },
      body: JSON.stringify({ urgency: 'URGENT', reason: '值班员电话核实：水管在漏', request_id: 'board-unsure-1' }),
    });
    return res.status;
  }, jobId);
  await badge.waitFor({ state: 'detached' });
  findings.badges_after = await page.locator(`#jobs tr[data-id="${jobId}"] .unsure`).count();
  findings.row_after = await page.locator(`#jobs tr[data-id="${jobId}"]`).count();
}

async function grades(page) {
  await page.locator('#grades li').first().waitFor();
  findings.grade_month = await page.locator('#grade-month').textContent();
  findings.grade_counts = await page.locator('#grade-counts').textContent();
  findings.grades = await page.locator('#grades li').evaluateAll((items) => items.map((li) => ({
    firm: li.dataset.firm,
    grade: li.querySelector('.grade').textContent,
    colour: getComputedStyle(li.querySelector('.grade')).backgroundColor,
    text: li.textContent,
  })));
}

try {
  const page = await (await browser.newContext({ viewport: { width: 1600, height: 900 }, locale: 'zh-CN' })).newPage();
  page.setDefaultTimeout(15000);
  await page.goto(url);
  await login(page, phone, code);
  await ({ unsure, grades, countdown }[mode] || countdown)(page);
  findings.reloads = await page.evaluate(() => performance.getEntriesByType('navigation').length);
  if (screenshot) await page.screenshot({ path: screenshot });
} finally {
  await browser.close();
}
console.log(JSON.stringify(findings));
