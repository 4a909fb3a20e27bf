// What every page test starts with: Debian's Chromium, headless, with nothing of its own reaching
// out to the network, and the login form.
import { chromium } from 'playwright-core';

// A page under a made-up name (the TLS test's halfhour.test) is found on loopback: only a name
// other than localhost shows that the page needs HTTPS for what a secure context gives.
export function launch(url = '') {
  const host = url ? new URL(url).hostname : '';
  const resolve = host.endsWith('.test') ? [`--host-resolver-rules=MAP ${host} 127.0.0.1`] : [];
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync', ...resolve],
  });
}

// Logs in through a page's form (every page labels its fields 手机号 and 登录码).
export async function login(page, phone, code) {
  await page.getByLabel('手机号').fill(phone);
  await page.getByLabel('登录码').fill(code);
  await page.getByRole('button', { name: '登录' }).click();
}
