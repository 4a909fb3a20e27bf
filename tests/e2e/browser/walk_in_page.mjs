// Real headless Chromium on a desk screen: committee staff log in, pick a community, write a
// walk-in request down and submit it; the answer lost on the way is resubmitted as a retry;
// a second neighbour's report of the same incident is shown as joined to the first job.
// Prints one JSON line of findings. Usage: node walk_in_page.mjs URL PHONE CODE SCREENSHOT_PATH
import { launch, login } from './launch.mjs';

const [url, phone, code, screenshot] = process.argv.slice(2);
const browser = await launch();
const findings = {};
try {
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'zh-CN' });
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  await page.goto(url);
  await login(page, phone, code);
  await page.locator('#report').waitFor();
  findings.who = await page.locator('#who').textContent();
  findings.communities = await page.locator('#community option').allTextContents();

  // An empty request is stopped on the page.
  await page.getByRole('button', { name: '提交' }).click();
  findings.empty_banner = await page.locator('#banner').textContent();

  await page.getByLabel('意见征集箱').check();
  await page.getByLabel('小区').selectOption('丹桂苑');
  await page.getByLabel('楼号、室号').fill('9号楼402室');
  await page.getByLabel('报修内容').fill('厨房水管爆裂，水已经漫到客厅');
  await page.getByLabel('报修人').fill('陈老伯');
  await page.getByLabel('联系电话').fill('13812345678');

  // The first answer is lost on the way back: the page says so, and submitting again must
  // be a retry of the same form, not a second job.
  let dropped = false;
  await page.route('**/v1/channels/walk-in', async (route) => {
    if (dropped) return route.continue();
    dropped = true;
    await route.fetch();  // the engine takes it ...
    await route.abort('connectionreset');  // ... and the page never hears
  });
  await page.getByRole('button', { name: '提交' }).click();
  await page.locator('#banner', { hasText: '不会重复登记' }).waitFor();
  findings.lost_banner = await page.locator('#banner').textContent();
  await page.getByRole('button', { name: '提交' }).click();
  await page.locator('#receipt').waitFor();
  findings.receipt_title = await page.locator('#receipt-title').textContent();
  findings.receipt_id = await page.locator('#receipt-id').textContent();
  findings.receipt_text = await page.locator('#receipt-text').textContent();
  if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });

  // A neighbour reports the same burst pipe at the desk: joined to the job, and shown so.
  await page.getByRole('button', { name: '再登记一条' }).click();
  await page.getByLabel('小区').selectOption('丹桂苑');
  await page.getByLabel('楼号、室号').fill('9号楼302室');
  await page.getByLabel('报修内容').fill('楼上水管爆了，水从天花板往下漏');
  await page.getByRole('button', { name: '提交' }).click();
  await page.locator('#receipt').waitFor();
  findings.second_title = await page.locator('#receipt-title').textContent();
  findings.second_id = await page.locator('#receipt-id').textContent();
} finally {
  await browser.close();
}
console.log(JSON.stringify(findings));
