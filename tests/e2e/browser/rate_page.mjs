// Real headless Chromium on a phone's screen: a resident opens the link of the completion SMS,
// sees the job, is stopped from submitting nothing, rates it with a comment, opens the link again
// and sees that rating with no form, and finds a forged link refused with nothing of any job.
// Prints one JSON line of findings. Usage: node rate_page.mjs LINK FORGED_LINK SCREENSHOT_PATH
import { launch } from './launch.mjs';

const [link, forged, screenshot] = process.argv.slice(2);
const browser = await launch();
const findings = {};
try {
  const context = await browser.newContext({ viewport: { width: 375, height: 740 }, locale: 'zh-CN',
                                             isMobile: true, hasTouch: true });
  const page = await context.newPage();
  page.setDefaultTimeout(10000);

  await page.goto(link);
  await page.locator('#rate').waitFor();
  findings.title = await page.locator('#job-title').textContent();
  findings.job_id = await page.locator('#job-id').textContent();
  findings.community = await page.locator('#job-community').textContent();
  findings.holder = await page.locator('#job-holder').textContent();
  findings.page_text = await page.locator('body').innerText();

  await page.getByRole('button', { name: '提交评价' }).click();
  findings.unpicked_banner = await page.locator('#banner').textContent();

  await page.getByLabel('基本满意').check();
  await page.getByLabel('意见或建议').fill('师傅来得快，门禁还有点慢');
  await page.getByRole('button', { name: '提交评价' }).click();
  await page.locator('#done').waitFor();
  findings.rated = await page.locator('#done-outcome').textContent();
  findings.rated_note = await page.locator('#done-note').textContent();
  if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });

  // The same link again, as a resident opening the SMS a second time.
  const again = await context.newPage();
  again.setDefaultTimeout(10000);
  await again.goto(link);
  await again.locator('#done').waitFor();
  findings.second_visit_rated = await again.locator('#done-outcome').textContent();
  findings.second_visit_form = await again.locator('#rate').isVisible();

  const fake = await context.newPage();
  fake.setDefaultTimeout(10000);
  await fake.goto(forged);
  await fake.locator('#banner.error').waitFor();
  findings.forged_banner = await fake.locator('#banner').textContent();
  findings.forged_job_shown = await fake.locator('#job').isVisible();
} finally {
  await browser.close();
}
console.log(JSON.stringify(findings));
