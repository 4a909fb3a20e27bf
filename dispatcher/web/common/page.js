// What the pages share: the status banner, random ids for retries, and calls to the engine with
// the page's session. The session is an HttpOnly cookie the browser sends by itself: no script
// here ever holds the token. Loaded before each page's own script. Plain script, no build.
'use strict';

window.halfhour = {
  banner(text, isError) {
    const b = document.getElementById('banner');
    b.textContent = text || '';
    b.hidden = !text;
    b.classList.toggle('error', !!isError);
  },

  // What a call is, in a word: 急修, 一般 or 投诉 (a complaint about the firm's service).
  kindOf(cls) {
    if ((cls || {}).kind === 'COMPLAINT') return '投诉';
    return (cls || {}).urgency === 'URGENT' ? '急修' : '一般';
  },

  // Two digits: 7 -> "07".
  pad(n) { return String(n).padStart(2, '0'); },

  // A length of time for a countdown, sign dropped: "4:05", "1:02:09"; a complaint's clock of
  // working days in days and hours: "3天4小时".
  span(ms) {
    const pad = window.halfhour.pad;
    const s = Math.floor(Math.abs(ms) / 1000);
    if (s >= 86400) return Math.floor(s / 86400) + '天' + Math.floor(s / 3600) % 24 + '小时';
    const h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60, sec = s % 60;
    return (h ? h + ':' + pad(m) : m) + ':' + pad(sec);
  },

  // `bytes` random bytes as hex: ids that make a retry recognisable as one.
  randomHex(bytes) {
    const buf = new Uint8Array(bytes);
    window.crypto.getRandomValues(buf);
    return Array.from(buf, (b) => b.toString(16).padStart(2, '0')).join('');
  },

  // Every call of a page says so: the engine takes a change on the session cookie only with this
  // header, which a form posted from another site cannot send.
  pageHeaders: { 'X-Requested-With': 'halfhour' },

  // A JSON call on the page's session cookie. A 401 outside login calls `expired` and throws
  // Error('unauthenticated'); a network failure throws as fetch does.
  async call(expired, method, path, body) {
    const headers = { ...window.halfhour.pageHeaders };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(path, {
      method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body),
    });
    let data = null;
    try { data = await res.json(); } catch (e) { data = null; }
    if (res.status === 401 && path !== '/v1/auth/login') {
      expired();
      throw new Error('unauthenticated');
    }
    return { status: res.status, data };
  },

  // Ends the session on the engine (it drops the cookie too); whatever the answer, the page then
  // forgets who was signed in.
  async endSession() {
    await fetch('/v1/auth/logout', { method: 'POST', headers: window.halfhour.pageHeaders, credentials: 'same-origin' })
      .catch(() => null);
  },
};
