// The operators' console: the station's triage queue, a firm manager's jobs, the centre's view of
// all; one job with its clocks, notices, reports and history; routing, assigning, handing over,
// reclassifying and splitting through the same API as everyone else; a search over
// GET /v1/work-orders. Live by GET /v1/console/events: every write the engine makes redraws the
// queue. Plain script, no build.
'use strict';

const $ = (id) => document.getElementById(id);
const hh = window.halfhour;
const banner = hh.banner;
const store = window.localStorage;
let member = JSON.parse(store.getItem('halfhour.console') || 'null');
let mode = 'queue';  // or 'search'
let entries = [];    // the list shown: {work_order, clock, time_left_ms, fetchedAt}
let selected = -1;
let current = null;  // the job open on the right
let query = null;
let nextCursor = '';
let source = null;
let streamTrouble = false;  // the banner shows the stream's warning

const ROLES = ['STATION', 'SUPERVISOR', 'MANAGER'];
const STATE = {
  DISPATCHED: '已派单', TRIAGE: '待分拣', ACKNOWLEDGED: '已接单', CONTACTED: '已联系', ON_SITE: '已到场', DONE: '已完工', REOPENED: '重办中',
};
const CLOCK = { ACKNOWLEDGE: '接单', ON_SITE: '到场', CONTACT: '联系', COMPLETION: '完工', FIRST_CONTACT: '先行联系',
  RESOLUTION: '办结', REDO: '重办' };
const EVENT = {
  ACCEPTED: '受理', CLASSIFIED: '分类', ROUTED: '分派', CLOCK_STARTED: '开始计时', CLOCK_STOPPED: '计时结束',
  CLOCK_BREACHED: '超时', CLOCK_RETIRED: '计时取消', ACKNOWLEDGED: '接单', CONTACTED: '已联系报修人', ARRIVED: '到场',
  COMPLETED: '完工', RECLASSIFIED: '改判', HANDED_OVER: '转交', ASSIGNED: '派给维修人员', WARNED: '超时预警',
  RENOTIFIED: '超时再提醒', LINKED: '关联报修', UNLINKED: '拆分', RECLASSIFY_REQUESTED: '申请改判',
  RATED: '回访', REOPENED: '重办', SUPERVISED: '督办',
  REPLY_REFUSED: '短信回复未执行',
};

const call = (method, path, body) => hh.call(() => logout('登录已过期，请重新登录'), method, path, body);

const { pad, span } = hh;

// "12-03 09:30" in Shanghai, whatever the screen's zone.
function when(ts) {
  if (!ts) return '';
  const d = new Date(Date.parse(ts) + 8 * 3600 * 1000);
  return pad(d.getUTCMonth() + 1) + '-' + pad(d.getUTCDate()) + ' ' + pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes());
}

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function place(wo) {
  const r = wo.resolution || {};
  return r.community ? r.community + (r.building ? ' ' + r.building + '号' : '') : '地址待确认';
}

function timerOf(entry) {
  if (!entry.clock || entry.time_left_ms === undefined) return el('span', 'timer', '');
  const left = leftOf(entry);
  const name = CLOCK[entry.clock] || '';
  if (left < 0) return el('span', 'timer over', name + '已超时 ' + span(left));
  return el('span', 'timer' + (left < 10 * 60 * 1000 ? ' soon' : ''), name + '剩余 ' + span(left));
}

function leftOf(entry) {
  if (!entry.clock || entry.time_left_ms === undefined) return Infinity;
  return Number(entry.time_left_ms) - (Date.now() - entry.fetchedAt);
}

// The centre's and the station's watch: only what has run out or runs out within ten minutes; a
// manager's: only what no crew has yet.
function shown(entry) {
  if ($('at-risk').checked && leftOf(entry) >= 10 * 60 * 1000) return false;
  return !$('unassigned').checked || !entry.work_order.assignee;
}

// The rows on screen; `selected` indexes these.
function view() { return entries.filter(shown); }

function renderList() {
  const items = view().map((entry, i) => {
    const wo = entry.work_order;
    const li = el('li');
    li.dataset.id = wo.id;
    li.setAttribute('role', 'option');
    li.setAttribute('aria-selected', String(i === selected));
    const top = el('div', 'top');
    const urgent = (wo.classification || {}).urgency === 'URGENT';
    top.append(el('b', '', wo.id), el('span', urgent ? 'urgent' : '', window.halfhour.kindOf(wo.classification) + ' ' +
      ((wo.classification || {}).category_name || '')), timerOf(entry));
    const bottom = el('div', '', `${place(wo)} · ${STATE[wo.state] || wo.state} · ${wo.holder || ''}`);
    li.append(top, bottom);
    li.addEventListener('click', () => select(i, true));
    return li;
  });
  $('queue').replaceChildren(...items);
  $('no-jobs').hidden = items.length > 0;
  $('more').hidden = mode !== 'search' || !nextCursor;
  $('back').hidden = mode !== 'search';
  $('list-title').textContent = mode === 'search' ? `查找结果（${items.length}）` : `待处理（${items.length}）`;
}

function select(i, open) {
  const rows = view();
  if (i < 0 || i >= rows.length) return;
  selected = i;
  renderList();
  const li = $('queue').children[i];
  if (li) li.scrollIntoView({ block: 'nearest' });
  if (open) openJob(rows[i].work_order.id);
}

function stamp(list) {
  const at = Date.now();
  return (list || []).map((e) => ({ ...e, fetchedAt: at }));
}

async function loadQueue() {
  if (mode !== 'queue') return;
  const r = await call('GET', '/v1/crew/jobs');
  if (mode !== 'queue') return;  // a search was shown meanwhile: the queue waits its turn
  if (r.status !== 200) return banner('待处理列表暂时无法读取', true);
  const before = view();
  const id = selected >= 0 && before[selected] ? before[selected].work_order.id : null;
  entries = stamp(r.data.jobs);
  selected = view().findIndex((e) => e.work_order.id === id);
  renderList();
}

async function search(more) {
  if (!more) {
    const p = new URLSearchParams();
    const put = (k, v) => { if (v.trim()) p.set(k, v.trim()); };
    put('ticket_no', $('q-ticket').value);
    put('phone', $('q-phone').value);
    put('community', $('q-community').value);
    put('state', $('q-state').value);
    query = p;
    nextCursor = '';
  }
  const p = new URLSearchParams(query);
  if (more && nextCursor) p.set('cursor', nextCursor);
  const r = await call('GET', '/v1/work-orders?' + p.toString());
  if (r.status !== 200) return banner((r.data && r.data.error && r.data.error.message) || '查找失败', true);
  banner('');
  mode = 'search';
  entries = (more ? entries : []).concat(stamp(r.data.work_orders));
  nextCursor = r.data.next_cursor || '';
  selected = view().length ? Math.max(selected, 0) : -1;
  renderList();
}

async function openJob(id, quiet) {
  const r = await call('GET', '/v1/work-orders/' + encodeURIComponent(id));
  if (r.status !== 200) {
    if (!quiet) banner((r.data && r.data.error && r.data.error.message) || '工单无法读取', true);
    return;
  }
  current = r.data;
  renderJob();
}

function mine(wo) { return member && wo.holder === member.organisation; }

function renderJob() {
  const wo = current;
  const cls = wo.classification || {};
  const res = wo.resolution || {};
  $('job').hidden = false;
  $('job-title').textContent = wo.id + (wo.external_no ? ' · ' + wo.external_no : '');
  $('job-state').textContent = `${STATE[wo.state] || wo.state} · ${wo.holder || ''}` +
    (wo.assignee ? ' · 维修人员 ' + wo.assignee : '') + ' · 受理于 ' + when(wo.accepted_at);
  $('job-content').textContent = wo.content || '';
  $('job-address').textContent = wo.address || '（未填写）';
  $('job-reporter').textContent = [(wo.reporter || {}).name, (wo.reporter || {}).phone].filter(Boolean).join(' ');
  $('job-route').textContent = (res.community ? res.community + ' · ' + (res.firm || '') + ' · ' : '') + (res.reason || '');
  $('job-class').textContent = { 急修: '急修', 一般: '一般维修', 投诉: '物业投诉' }[window.halfhour.kindOf(cls)] + ' · ' +
    (cls.category_name || '') +
    (cls.uncertain ? '（待确认）' : '');
  $('job-photos').replaceChildren(...(wo.photos || []).map((url, i) => {
    const a = el('a', '', `照片${i + 1} `);
    a.href = url;  // http(s) only: the engine refuses any other at intake
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
    return a;
  }));
  $('job-clocks').replaceChildren(...(wo.clocks || []).map((c) => {
    const state = c.retired ? '已取消' : c.breached_at ? '超时' : c.stopped_at ? '已完成' : '截止 ' + when(c.deadline);
    return el('span', c.breached_at ? 'timer over' : 'timer', `${CLOCK[c.kind] || c.kind}：${state}　`);
  }));
  renderActions(wo, res);
  $('job-linked').replaceChildren(...(wo.linked || []).map((l) => {
    const li = el('li', '', `${when(l.at)} ${l.external_no || l.key} ${l.content || ''} `);
    if (mayUnlink(wo)) {
      const b = el('button', '', '拆分为新工单');
      b.type = 'button';
      b.dataset.key = l.key;
      b.addEventListener('click', () => unlink(wo.id, l.key));
      li.append(b);
    }
    return li;
  }));
  const STATUS = { pending: '待发送', delivered: '已送达' };
  const KIND = { dispatch: '派单通知', warn: '超时预警', breach: '超时通报', renotify: '超时再提醒', fallback: '转应急站' };
  $('job-notices').replaceChildren(...(wo.notices || []).map((n) => {
    const status = STATUS[n.status] || (n.status.startsWith('dead') ? '发送失败：' + n.status.slice(5).trim() : n.status);
    return el('li', n.status.startsWith('dead') ? 'late' : '',
      `${n.organisation || n.recipient} · ${KIND[n.kind] || '进展：' + (EVENT[n.kind.toUpperCase()] || n.kind)} · ${status}${n.settled_at ? ' · ' + when(n.settled_at) : ''}`);
  }));
  $('job-history').replaceChildren(...(wo.history || []).map((e) => {
    const late = e.kind === 'CLOCK_BREACHED' && e.late_ms ? `（迟 ${span(Number(e.late_ms))}）` : '';
    const li = el('li', e.kind === 'CLOCK_BREACHED' ? 'late' : '',
      `${when(e.at)} ${EVENT[e.kind] || e.kind}${e.clock ? ' ' + (CLOCK[e.clock] || '') : ''} ${e.actor || ''} ${e.note || ''}${late}`);
    return li;
  }));
}

function mayUnlink(wo) {
  return member.role === 'STATION' || member.role === 'SUPERVISOR' || (member.role === 'MANAGER' && mine(wo));
}

function renderActions(wo, res) {
  const open = wo.state !== 'DONE';
  $('route').hidden = !(member.role === 'STATION' && wo.state === 'TRIAGE');
  $('candidates').replaceChildren(...(res.candidates || []).map((name) => {
    const b = el('button', '', name);
    b.type = 'button';
    b.addEventListener('click', () => { $('route-community').value = name; });
    return b;
  }));
  $('assign').hidden = !(open && (member.role === 'MANAGER' || member.role === 'STATION') && mine(wo));
  $('hand-over').hidden = !(open && member.role === 'MANAGER' && mine(wo));
  $('reclassify').hidden = !(open && (member.role !== 'MANAGER' || mine(wo)));
}

// After an action: the answer's job on the right, the list as it now stands.
async function acted(r, done) {
  if (r.status >= 200 && r.status < 300) {
    await refresh();
    banner(done);  // once the screen shows what was done
    return true;
  }
  banner((r.data && r.data.error && r.data.error.message) || '操作失败', true);
  return false;
}

async function refresh() {
  if (mode === 'queue') await loadQueue();
  if (current) await openJob(current.id, true);
}

async function unlink(id, key) {
  const r = await call('POST', `/v1/work-orders/${encodeURIComponent(id)}/unlink`, { key });
  await acted(r, r.data && r.data.id ? '已拆分为新工单 ' + r.data.id : '已拆分');
}

$('route').addEventListener('submit', async (e) => {
  e.preventDefault();
  const community = $('route-community').value.trim();
  const r = await call('POST', `/v1/station/jobs/${encodeURIComponent(current.id)}/route`, { community });
  if (await acted(r, `已派往${community}，由${(r.data && r.data.holder) || '该小区物业'}处理`)) $('route-community').value = '';
});

$('assign').addEventListener('submit', async (e) => {
  e.preventDefault();
  const r = await call('POST', `/v1/manager/jobs/${encodeURIComponent(current.id)}/assign`,
    { member_id: $('assign-phone').value.trim() });
  if (await acted(r, '已派单')) $('assign-phone').value = '';
});

// A firm that cannot do the job hands it to the station, saying why.
$('hand-over').addEventListener('submit', async (e) => {
  e.preventDefault();
  const r = await call('POST', `/v1/crew/jobs/${encodeURIComponent(current.id)}/hand-over`,
    { note: $('hand-over-note').value.trim(), request_id: hh.randomHex(8) });
  if (await acted(r, '已转交应急维修服务站')) $('hand-over-note').value = '';
});

$('reclassify').addEventListener('submit', async (e) => {
  e.preventDefault();
  const r = await call('POST', `/v1/work-orders/${encodeURIComponent(current.id)}/reclassify`, {
    urgency: $('re-urgency').value, category: $('re-category').value, reason: $('re-reason').value.trim(),
    request_id: hh.randomHex(8),
  });
  if (await acted(r, '已改判')) $('re-reason').value = '';
});

$('search').addEventListener('submit', (e) => { e.preventDefault(); search(false); });
$('at-risk').addEventListener('change', () => { selected = -1; renderList(); });
$('unassigned').addEventListener('change', () => { selected = -1; renderList(); });
$('more').addEventListener('click', () => search(true));
$('back').addEventListener('click', () => { mode = 'queue'; selected = -1; loadQueue(); });

// The station works a queue from the keyboard: j/k or the arrows to move, Enter to open, / to
// search.
document.addEventListener('keydown', (e) => {
  if ($('desk').hidden) return;
  const typing = ['INPUT', 'SELECT', 'TEXTAREA'].includes(document.activeElement.tagName);
  if (e.key === '/' && !typing) {
    e.preventDefault();
    $('q-ticket').focus();
  } else if (!typing && (e.key === 'j' || e.key === 'ArrowDown')) {
    e.preventDefault();
    select(Math.min(selected + 1, view().length - 1), false);
  } else if (!typing && (e.key === 'k' || e.key === 'ArrowUp')) {
    e.preventDefault();
    select(Math.max(selected - 1, 0), false);
  } else if (!typing && e.key === 'Enter' && selected >= 0) {
    e.preventDefault();
    select(selected, true);
  }
});

async function loadCommunities() {
  const r = await call('GET', '/v1/directory/communities');
  if (r.status !== 200) return;
  $('communities').replaceChildren(...r.data.communities.map((c) => {
    const o = document.createElement('option');
    o.value = c.name;
    o.label = `${c.committee}居委 · ${c.firm}`;
    return o;
  }));
}

// The categories a job may be put in, as the Open311 door lists them (急修 ones first).
async function loadCategories() {
  const res = await fetch('/open311/v2/services.json').catch(() => null);
  if (!res || !res.ok) return;
  const services = await res.json();
  $('re-category').replaceChildren($('re-category').options[0], ...services.map((sv) => {
    const o = document.createElement('option');
    o.value = sv.service_code;
    o.textContent = `${sv.group} · ${sv.service_name}`;
    return o;
  }));
}

function live() {
  if (source) source.close();
  source = null;
  // A nudge whenever the engine writes (and every ten seconds for other engines' writes); the page
  // then reads what its member may see. The cookie goes with the stream, no token in the URL.
  source = new EventSource('/v1/console/events');
  // A push clears only the stream's own warnings: an action's message stays until the next one.
  source.addEventListener('changed', () => {
    if (streamTrouble) banner('');
    streamTrouble = false;
    refresh();
  });
  source.addEventListener('unavailable', () => {
    streamTrouble = true;
    banner('存储暂不可用，显示的是最后一次数据', true);
  });
  source.addEventListener('ended', () => logout('登录已过期，请重新登录'));
  source.onerror = () => {
    streamTrouble = true;
    banner('与服务器的连接中断，正在重连…', true);
  };
}

function start() {
  $('login').hidden = true;
  $('desk').hidden = false;
  $('logout').hidden = false;
  $('who').textContent = `${member.name} · ${member.organisation}`;
  loadCommunities();
  loadCategories();
  loadQueue();
  live();
}

function logout(message) {
  if (source) source.close();
  source = null;
  member = null;
  current = null;
  store.removeItem('halfhour.console');
  $('desk').hidden = true;
  $('logout').hidden = true;
  $('job').hidden = true;
  $('who').textContent = '';
  $('login').hidden = false;
  banner(message || '', !!message);
}

$('logout').addEventListener('click', async () => {
  await hh.endSession();
  logout('');
});

$('login').addEventListener('submit', async (e) => {
  e.preventDefault();
  const res = await fetch('/v1/auth/login', {
    method: 'POST', headers: { 'Content-Type': 'application/json', ...hh.pageHeaders },
    body: JSON.stringify({ phone: $('phone').value.trim(), code: $('code').value.trim() }),
  }).catch(() => null);
  const data = res ? await res.json().catch(() => null) : null;
  if (!res || res.status !== 200) return banner((data && data.error && data.error.message) || '登录失败', true);
  if (!ROLES.includes(data.member.role)) {
    await hh.endSession();  // not this page's member: the cookie just set goes again
    return banner('该账号无权使用调度台（维修人员请使用手机页面 /crew/）', true);
  }
  member = data.member;
  store.setItem('halfhour.console', JSON.stringify(member));
  banner('');
  start();
});

setInterval(() => { if (!$('desk').hidden) renderList(); }, 1000);
if (member) start(); else logout('');
