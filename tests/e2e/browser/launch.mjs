// What every page test starts with: Debian's Chromium, headless, with nothing of its own reaching
// out to the network, and the login form.
import { chromium } from 'playwright-core';

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// Logs in through a page's form (every page labels its fields 手机号 and 登录码).
export async function login(page, phone, code) {
  await page.getByLabel('手机号').fill(phone);
  await page.getByLabel('登录码').fill(code);
  await page.getByRole('button', { name: '登录' }).click();
}
