// The live board: log in once, then the engine pushes the open jobs and today's breaches as
// server-sent events; countdowns tick here every second against the engine's clock. The browser
// reconnects by itself when the stream breaks; the banner says so meanwhile.
'use strict';

const $ = (id) => document.getElementById(id);
const store = window.localStorage;
let session = JSON.parse(store.getItem('halfhour.board') || 'null');
let snapshot = null;
let skewMs = 0;  // engine time minus this screen's time
let source = null;

const banner = window.halfhour.banner;

const { pad, span } = window.halfhour;

function hhmm(ms) {
  const d = new Date(ms + 8 * 3600 * 1000);  // Shanghai, whatever the screen's zone
  return pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes());
}

function timerText(c, now) {
  if (!c.running) return { cls: c.breached ? 'over' : 'met', text: c.name + (c.breached ? '超时后完成' : '按时完成') };
  const left = c.deadline - now;
  if (left < 0) return { cls: 'over', text: c.name + '已超时 ' + span(left) };
  return { cls: left < 10 * 60 * 1000 ? 'soon' : '', text: c.name + '剩余 ' + span(left) };
}

// The clock a job is judged by first: the earliest running one, completion last.
function nearest(job) {
  const running = job.clocks.filter((c) => c.running && c.kind !== 'done');
  const pool = running.length ? running : job.clocks.filter((c) => c.running);
  return pool.length ? Math.min(...pool.map((c) => c.deadline)) : Infinity;
}

// The classifier was not sure: the job runs as urgent (the safe side) until the duty officer
// confirms or corrects the call, and the wall says so.
const UNSURE_HELP = '系统判断把握不大，按急修处理，请值班人员确认';
function unsureBadge() {
  const b = document.createElement('span');
  b.className = 'unsure';
  b.textContent = '待确认';
  b.title = UNSURE_HELP;
  b.setAttribute('aria-label', '待确认：' + UNSURE_HELP);
  return b;
}

function render() {
  if (!snapshot) return;
  const now = Date.now() + skewMs;
  const c = snapshot.counts;
  $('c-open').textContent = c.open;
  $('c-urgent').textContent = c.urgent;
  $('c-overdue').textContent = c.overdue;
  $('c-today').textContent = c.breaches_today;
  const jobs = [...snapshot.jobs].sort((a, b) => nearest(a) - nearest(b) || (a.id < b.id ? -1 : 1));
  const rows = jobs.map((j) => {
    const tr = document.createElement('tr');
    tr.dataset.id = j.id;
    if (j.urgent) tr.className = 'urgent';
    const cell = (content) => { const td = document.createElement('td'); td.append(...content); tr.append(td); return td; };
    const tag = document.createElement('span');
    tag.className = 'tag' + (j.urgent ? ' urgent' : '');
    tag.textContent = j.complaint ? '投诉' : j.urgent ? '急修' : '一般';
    const id = document.createElement('div');
    id.className = 'id';
    id.textContent = j.id + (j.linked ? ` · ${j.linked + 1}人反映` : '');
    cell(j.uncertain ? [tag, unsureBadge(), id] : [tag, id]);
    cell([j.category]);
    cell([[j.community || j.address || '地址待确认', j.building && j.building + '号', j.room && j.room + '室']
      .filter(Boolean).join(' ')]);
    cell([j.holder]);
    cell([j.state]);
    const timers = cell([]);
    for (const k of j.clocks.filter((x) => x.kind !== 'done' || x.running)) {
      const t = timerText(k, now);
      const s = document.createElement('span');
      s.className = 'timer ' + t.cls;
      s.dataset.kind = k.kind;
      s.textContent = t.text;
      timers.append(s);
    }
    return tr;
  });
  $('jobs').replaceChildren(...rows);
  $('no-jobs').hidden = rows.length > 0;
  const items = snapshot.breaches_today.map((b) => {
    const li = document.createElement('li');
    li.dataset.id = b.id;
    if (b.done) li.className = 'done';
    const when = document.createElement('div');
    when.className = 'when';
    when.textContent = hhmm(b.deadline) + ' ' + b.clock + '超时 · ' + b.id;
    const what = document.createElement('div');
    what.textContent = `${b.complaint ? '投诉' : b.urgent ? '急修' : '一般'} ${b.category} ${b.community || ''} · ${b.holder}`;
    li.append(when, what);
    return li;
  });
  $('breaches').replaceChildren(...items);
  $('no-breaches').hidden = items.length > 0;
}

// The firms' grades for the month so far: read when the board opens and every ten minutes (the
// engine reads a month of histories for it, so it is not pushed with every change).
const SHOWN_GRADES = 8;
let gradesTimer = null;

function gradeChip(grade) {
  const g = document.createElement('span');
  g.className = 'grade g' + grade;
  g.textContent = grade;
  return g;
}

async function loadGrades() {
  const res = await fetch('/v1/board/scorecard', { credentials: 'same-origin' }).catch(() => null);
  if (!res || res.status !== 200) return;
  const card = await res.json().catch(() => null);
  if (!card) return;
  $('grade-month').textContent = card.title;
  $('grade-counts').replaceChildren(...['绿', '黄', '橙', '红'].flatMap((g) => [gradeChip(g), ` ${card.counts[g]}家 `]));
  const items = card.firms.slice(0, SHOWN_GRADES).map((f) => {
    const li = document.createElement('li');
    li.dataset.firm = f.firm;
    const name = document.createElement('span');
    name.className = 'firm';
    name.textContent = f.firm;
    const score = document.createElement('span');
    score.className = 'score';
    score.textContent = f.score.toFixed(1) + '分';
    const was = document.createElement('span');
    was.className = 'was';
    was.textContent = f.previous_score === null ? '上月无' : '上月' + f.previous_grade + ' ' + f.previous_score.toFixed(1);
    li.append(gradeChip(f.grade), name, score, was);
    return li;
  });
  $('grades').replaceChildren(...items);
  $('no-grades').hidden = items.length > 0;
}

function tick() {
  const now = new Date(Date.now() + skewMs + 8 * 3600 * 1000);
  $('clock').textContent = pad(now.getUTCHours()) + ':' + pad(now.getUTCMinutes()) + ':' + pad(now.getUTCSeconds());
  render();
}

function connect() {
  $('login').hidden = true;
  $('board').hidden = false;
  loadGrades();
  if (!gradesTimer) gradesTimer = setInterval(loadGrades, 10 * 60 * 1000);
  if (source) source.close();
  // The session cookie goes with the stream (same origin): no token in the URL, where proxies log it.
  source = new EventSource('/v1/board/events');
  source.addEventListener('board', (e) => {
    snapshot = JSON.parse(e.data);
    skewMs = snapshot.server_time - Date.now();
    banner('');
    render();
  });
  source.addEventListener('unavailable', () => banner('存储暂不可用，显示的是最后一次数据', true));
  // The server ends the stream once the session has ended (logout, a new code, expiry).
  source.addEventListener('ended', () => logout('登录已过期，请重新登录'));
  source.onerror = async () => {
    banner('与服务器的连接中断，正在重连…', true);
    if (source.readyState !== EventSource.CLOSED) return;  // the browser retries by itself
    // Closed for good: the session may have expired. Ask once; otherwise keep retrying.
    const res = await fetch('/v1/board', { credentials: 'same-origin' }).catch(() => null);
    if (res && (res.status === 401 || res.status === 403)) return logout('登录已过期，请重新登录');
    setTimeout(connect, 3000);
  };
}

function logout(message) {
  if (source) source.close();
  source = null;
  session = null;
  store.removeItem('halfhour.board');
  $('board').hidden = true;
  $('login').hidden = false;
  banner(message || '', !!message);
}

$('login').addEventListener('submit', async (e) => {
  e.preventDefault();
  const res = await fetch('/v1/auth/login', {
    method: 'POST', headers: { 'Content-Type': 'application/json', ...window.halfhour.pageHeaders },
    body: JSON.stringify({ phone: $('phone').value.trim(), code: $('code').value.trim() }),
  }).catch(() => null);
  const data = res ? await res.json().catch(() => null) : null;
  if (!res || res.status !== 200) return banner((data && data.error && data.error.message) || '登录失败', true);
  if (!['SUPERVISOR', 'STATION'].includes(data.member.role)) {
    await window.halfhour.endSession();  // not this page's member: the cookie just set goes again
    return banner('该账号无权查看看板', true);
  }
  session = { member: data.member };  // who is signed in, for the page; the session is the cookie
  store.setItem('halfhour.board', JSON.stringify(session));
  banner('');
  connect();
});

setInterval(tick, 1000);
if (session) connect(); else logout('');
