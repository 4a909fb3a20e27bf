// Real headless Chromium at 1366×768: the station's duty operator on the console. The queue shows
// the job sent to the station for an unclear address; a second such ticket, filed while the page
// is up, appears without a reload (pushed by the engine); the operator opens the first with the
// keyboard, picks the candidate the resolver offered and routes it, and the job leaves the queue;
// then finds it again by its 12345 number. Mode "refused": a crew logs in and is turned away.
// Mode "manager": a firm's manager opens its job, gives it to a crew (SECOND is the crew's
// login phone), corrects its category, sees a new job arrive, keeps to the unassigned ones and
// hands one to the station. Mode "centre": with the desk up (JOB_ID, a calm job, in its queue) an urgent
// ticket (SECOND) is filed; the centre opens it and sees its breach recorded, pushed, with the
// notices sent; then keeps to the jobs at risk. Mode "unlink": the station finds a job by a linked report's number (TICKET_NO)
// and splits that report off. Prints one JSON line of findings.
// Usage: node console_page.mjs URL PHONE CODE JOB_ID SECOND TICKET_NO [station|refused|manager|unlink|centre]
import { launch, login } from './launch.mjs';

const [url, phone, code, jobId, second, ticketNo, mode = 'station'] = process.argv.slice(2);
const browser = await launch();
const findings = {};

async function station(page) {
  const row = page.locator(`#queue li[data-id="${jobId}"]`);
  await row.waitFor();
  findings.row = await row.textContent();
  // Filed while the page is up: the queue shows it without a reload.
  const res = await fetch(new URL('/v1/hotline/tickets', url), {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: second,
  });
  findings.second_status = res.status;
  const secondId = findings.second_id = (await res.json()).id;
  await page.locator(`#queue li[data-id="${secondId}"]`).waitFor();
  findings.queue_after_second = await page.locator('#queue li').count();
  // The keyboard: down to the first job's row, Enter opens it.
  await page.locator('#queue').focus();
  const ids = await page.locator('#queue li').evaluateAll((lis) => lis.map((li) => li.dataset.id));
  for (let i = 0; i <= ids.indexOf(jobId); ++i) await page.keyboard.press('j');
  await page.keyboard.press('Enter');
  await page.locator('#job-title', { hasText: jobId }).waitFor();
  findings.route_reason = await page.locator('#job-route').textContent();
  await page.locator('#route').waitFor();
  findings.candidates = await page.locator('#candidates button').allTextContents();
  await page.getByRole('button', { name: '凌兆路586弄B' }).click();
  await page.getByRole('button', { name: '派往该小区' }).click();
  await row.waitFor({ state: 'detached' });
  await page.locator('#banner', { hasText: '已派往' }).waitFor();
  findings.banner = await page.locator('#banner').textContent();
  findings.state_after = await page.locator('#job-state').textContent();
  findings.route_form_after = await page.locator('#route').isVisible();
  findings.queue_after_route = await page.locator('#queue li').count();
  // Found again by its 12345 number.
  await page.getByLabel('12345工单号').fill(ticketNo);
  await page.getByRole('button', { name: '查找' }).click();
  const found = page.locator(`#queue li[data-id="${jobId}"]`);
  await found.waitFor();
  findings.found = await found.textContent();
  findings.list_title = await page.locator('#list-title').textContent();
  findings.fits = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

async function manager(page) {
  const row = page.locator(`#queue li[data-id="${jobId}"]`);
  await row.click();
  await page.locator('#job-title', { hasText: jobId }).waitFor();
  findings.route_form = await page.locator('#route').isVisible();
  await page.getByLabel('维修人员登录号码').fill(second);
  await page.getByRole('button', { name: '派单' }).click();
  await page.locator('#banner', { hasText: '已派单' }).waitFor();
  findings.state_after = await page.locator('#job-state').textContent();
  findings.banner = await page.locator('#banner').textContent();
  findings.history = await page.locator('#job-history').textContent();
  // 改判 with a category from the Open311 list.
  await page.getByLabel('紧急程度').selectOption('GENERAL');
  await page.getByLabel('类别', { exact: true }).selectOption('stair_light');
  await page.getByLabel('改判理由').fill('现场看是楼道灯');
  await page.getByRole('button', { name: '改判', exact: true }).click();
  await page.locator('#banner', { hasText: '已改判' }).waitFor();
  findings.class_after = await page.locator('#job-class').textContent();
  // A new job for the firm appears without a reload; "only unassigned" keeps it alone.
  const res = await fetch(new URL('/v1/hotline/tickets', url), {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ ticket_no: ticketNo + '-NEW', content: '8号楼信报箱坏了', address: '丹桂苑8号楼' }),
  });
  const newId = findings.new_id = (await res.json()).id;
  const newRow = page.locator(`#queue li[data-id="${newId}"]`);
  await newRow.waitFor();
  await page.getByLabel('只看未派给维修人员').check();
  findings.unassigned = await page.locator('#queue li').evaluateAll((lis) => lis.map((li) => li.dataset.id));
  // The firm cannot do it: handed to the station, with why.
  await newRow.click();
  await page.locator('#job-title', { hasText: newId }).waitFor();
  await page.getByLabel('转交原因').fill('需要登高作业车，本物业没有');
  await page.getByRole('button', { name: '转交', exact: true }).click();
  await page.locator('#banner', { hasText: '已转交' }).waitFor();
  findings.handed_state = await page.locator('#job-state').textContent();
}

async function unlink(page) {
  await page.getByLabel('12345工单号').fill(ticketNo);
  await page.keyboard.press('Enter');
  const found = page.locator(`#queue li[data-id="${jobId}"]`);
  await found.click();
  await page.locator('#job-title', { hasText: jobId }).waitFor();
  findings.linked = await page.locator('#job-linked li').count();
  await page.getByRole('button', { name: '拆分为新工单' }).click();
  await page.locator('#banner', { hasText: '已拆分为新工单' }).waitFor();
  findings.banner = await page.locator('#banner').textContent();
  await page.locator('#job-linked li').first().waitFor({ state: 'detached' });
  findings.linked_after = await page.locator('#job-linked li').count();
}

async function centre(page) {
  // The urgent job is filed only once the desk is up (the calm job, JOB_ID, is in the queue), so
  // its short on-site limit runs while the page is open however slowly the browser started.
  await page.locator(`#queue li[data-id="${jobId}"]`).waitFor();
  const res = await fetch(new URL('/v1/hotline/tickets', url), {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: second,
  });
  findings.urgent_status = res.status;
  const urgentId = findings.urgent_id = (await res.json()).id;
  const row = page.locator(`#queue li[data-id="${urgentId}"]`);
  await row.click();
  await page.locator('#job-title', { hasText: urgentId }).waitFor();
  findings.before = await page.locator('#job-history').textContent();
  await page.locator('#job-history li.late').waitFor({ timeout: 60000 });
  findings.breach = await page.locator('#job-history li.late').first().textContent();
  findings.clocks = await page.locator('#job-clocks').textContent();
  findings.timer = await row.locator('.timer').textContent();
  findings.notices = await page.locator('#job-notices').textContent();
  findings.rows_all = await page.locator('#queue li').count();
  await page.getByLabel('只看已超时和10分钟内到期').check();
  findings.rows_at_risk = await page.locator('#queue li').evaluateAll((lis) => lis.map((li) => li.dataset.id));
}

async function refused(page) {
  await page.locator('#banner', { hasText: '无权' }).waitFor();
  findings.banner = await page.locator('#banner').textContent();
  findings.desk_hidden = await page.locator('#desk').isHidden();
}

try {
  const page = await (await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' })).newPage();
  page.setDefaultTimeout(30000);  // a loaded CI machine's Chromium is slow
  await page.goto(url);
  await login(page, phone, code);
  await ({ refused, manager, unlink, centre, station }[mode])(page);
  findings.reloads = await page.evaluate(() => performance.getEntriesByType('navigation').length);
} finally {
  await browser.close();
}
console.log(JSON.stringify(findings));
