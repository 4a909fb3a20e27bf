// What the pages share: the status banner, random ids for retries, and calls to the engine with
// the page's session. Loaded before each page's own script. Plain script, no build.
'use strict';

window.halfhour = {
  banner(text, isError) {
    const b = document.getElementById('banner');
    b.textContent = text || '';
    b.hidden = !text;
    b.classList.toggle('error', !!isError);
  },

  // `bytes` random bytes as hex: ids that make a retry recognisable as one.
  randomHex(bytes) {
    const buf = new Uint8Array(bytes);
    window.crypto.getRandomValues(buf);
    return Array.from(buf, (b) => b.toString(16).padStart(2, '0')).join('');
  },

  // A JSON call with the session's token. A 401 outside login calls `expired` and throws
  // Error('unauthenticated'); a network failure throws as fetch does.
  async call(session, expired, method, path, body) {
    const headers = {};
    if (session) headers.Authorization = 'Bearer ' + session.token;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    let data = null;
    try { data = await res.json(); } catch (e) { data = null; }
    if (res.status === 401 && path !== '/v1/auth/login') {
      expired();
      throw new Error('unauthenticated');
    }
    return { status: res.status, data };
  },
};
