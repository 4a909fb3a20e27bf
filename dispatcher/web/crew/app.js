// The crew page: log in, see my jobs with live countdowns, act on them. Plain script, no build.
'use strict';

const $ = (id) => document.getElementById(id);
const store = window.localStorage;
let session = JSON.parse(store.getItem('halfhour.session') || 'null');
let jobs = [];
let clockSkewMs = 0;  // server time minus phone time: countdowns use the server's clock
let refreshTimer = null;
let categories = null;  // [{code, name, urgent}] from the rules, loaded when a form first needs them
let deferred = false;   // a redraw came while someone was typing a correction: done once they leave it

const STATE_TEXT = { DISPATCHED: '待接单', TRIAGE: '待分拣', ACKNOWLEDGED: '已接单', CONTACTED: '已联系',
                     ON_SITE: '已到场', DONE: '已完工', REOPENED: '重办' };
const CLOCK_TEXT = { ACKNOWLEDGE: '接单', ON_SITE: '到场', CONTACT: '联系报修人', COMPLETION: '完工',
                     FIRST_CONTACT: '先行联系', RESOLUTION: '办结', REDO: '重办' };
// The clock that ends the job: shown only in its last hour while others run.
const FINAL = new Set(['COMPLETION', 'RESOLUTION']);

const banner = window.halfhour.banner;
// Request ids identify one press of a button, so a retry after a lost answer is not a second action.
const requestId = () => window.halfhour.randomHex(16);
const call = (method, path, body) =>
  window.halfhour.call(() => logout('登录已过期，请重新登录'), method, path, body);

function logout(message) {
  for (const f of $('list').querySelectorAll('form.reclassify')) f.remove();  // the next member's list is theirs
  session = null;
  store.removeItem('halfhour.session');
  clearInterval(refreshTimer);
  render();
  banner(message || '', !!message);
}

async function login(event) {
  event.preventDefault();
  banner('');
  try {
    const { status, data } = await call('POST', '/v1/auth/login', { phone: $('phone').value.trim(), code: $('code').value.trim() });
    if (status !== 200) {
      banner((data && data.error && data.error.message) || '登录失败', true);
      return;
    }
    session = { member: data.member };  // who is signed in, for the page; the session is the cookie
    store.setItem('halfhour.session', JSON.stringify(session));
    $('code').value = '';
    render();
    await refresh();
    startRefreshing();
  } catch (e) {
    banner('网络不可用，无法登录，请检查网络后重试', true);
  }
}

async function refresh() {
  if (!session) return;
  try {
    const { status, data } = await call('GET', '/v1/crew/jobs');
    if (status !== 200) {
      banner((data && data.error && data.error.message) || '工单列表加载失败', true);
      return;
    }
    clockSkewMs = Date.parse(data.server_time) - Date.now();
    jobs = data.jobs.map((j) => j.work_order);
    if (!navigator.onLine) banner('网络不可用，显示的是上次加载的工单', true);
    else if ($('banner').classList.contains('error') && $('banner').dataset.sticky !== '1') banner('');
    renderJobs();
  } catch (e) {
    if (e.message !== 'unauthenticated') banner('网络不可用，显示的是上次加载的工单', true);
  }
}

function startRefreshing() {
  clearInterval(refreshTimer);
  refreshTimer = setInterval(refresh, 15000);
}

function minutesText(ms) {
  const total = Math.floor(Math.abs(ms) / 1000);
  const m = Math.floor(total / 60), s = total % 60;
  if (m >= 24 * 60) return Math.floor(m / 1440) + '天' + Math.floor(m / 60) % 24 + '小时';
  return m >= 60 ? Math.floor(m / 60) + '小时' + (m % 60) + '分' : m + '分' + String(s).padStart(2, '0') + '秒';
}

function timerLines(job) {
  const now = Date.now() + clockSkewMs;
  const lines = [];
  for (const c of job.clocks) {
    if (c.retired) continue;
    const name = CLOCK_TEXT[c.kind] || c.kind;
    if (c.stopped_at) {
      if (!FINAL.has(c.kind)) lines.push({ cls: 'met', html: `${name}：${c.breached_at ? '已完成（超时）' : '已按时完成'}` });
      continue;
    }
    const left = Date.parse(c.deadline) - now;
    if (left <= 0) {
      lines.push({ cls: 'over', html: `${name}已超时 <b>${minutesText(left)}</b>` });
    } else if (!FINAL.has(c.kind) || left < 3600 * 1000) {
      lines.push({ cls: left < 10 * 60 * 1000 ? 'soon' : '', html: `${name}剩余 <b>${minutesText(left)}</b>` });
    }
  }
  return lines;
}

function actionsFor(job) {
  const me = session.member;
  const mine = !job.assignee || job.assignee === me.id;
  const out = [];
  if (job.state === 'DONE' || !mine) return out;
  if (job.state === 'DISPATCHED' || job.state === 'TRIAGE') out.push(['acknowledge', '接单', 'go wide']);
  if (job.state !== 'ON_SITE') out.push(['contact', '已联系', '']);
  if (job.state !== 'ON_SITE') out.push(['arrive', '到场', 'go']);
  out.push(['complete', '完工', job.state === 'ON_SITE' ? 'go wide' : '']);
  if (job.holder !== '街道物业应急维修服务站') out.push(['hand-over', '转应急站', job.state === 'ON_SITE' ? 'wide' : '']);
  return out;
}

function position() {
  return new Promise((resolve) => {
    if (!navigator.geolocation) return resolve(null);
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ latitude: p.coords.latitude, longitude: p.coords.longitude, accuracy_m: p.coords.accuracy }),
      () => resolve(null),
      { enableHighAccuracy: true, timeout: 8000, maximumAge: 60000 });
  });
}

async function act(job, action, button) {
  const body = { request_id: requestId(), device_time: new Date().toISOString() };
  if (action === 'contact') body.method = '电话';
  if (action === 'complete') {
    const note = window.prompt('完工说明（可不填）', '');
    if (note === null) return;
    body.note = note;
  }
  if (action === 'hand-over') {
    const note = window.prompt('转应急站的原因', '');
    if (!note) return;
    body.note = note;
  }
  if (!navigator.onLine) {
    banner('网络不可用，操作未提交，请恢复网络后再点一次', true);
    return;
  }
  button.disabled = true;
  try {
    if (action === 'arrive') {
      banner('正在获取位置…');
      const where = await position();
      if (where) body.position = where;
      banner(where ? '' : '未获取到位置，仅记录到场时间');
    }
    // A lost answer is retried with the same request id: the engine applies it once.
    let result = null;
    for (let attempt = 0; attempt < 3 && !result; attempt++) {
      try {
        result = await call('POST', `/v1/crew/jobs/${encodeURIComponent(job.id)}/${action}`, body);
      } catch (e) {
        if (e.message === 'unauthenticated') return;
        await new Promise((r) => setTimeout(r, 800));
      }
    }
    if (!result) {
      banner('网络不可用，操作未提交，请稍后再点一次', true);
    } else if (result.status === 200) {
      banner('');
      replaceJob(result.data);
    } else {
      const msg = (result.data && result.data.error && result.data.error.message) || '操作失败';
      banner('操作未执行：' + msg, true);
      $('banner').dataset.sticky = '1';
      setTimeout(() => { $('banner').dataset.sticky = ''; }, 8000);
      if (result.data && result.data.work_order) replaceJob(result.data.work_order);
    }
  } finally {
    button.disabled = false;
  }
}

function replaceJob(updated) {
  const i = jobs.findIndex((j) => j.id === updated.id);
  const watcher = session && session.member.role === 'SUPERVISOR';  // sees every job, holds none
  if (updated.state === 'DONE' || (session && !watcher && updated.holder !== session.member.organisation)) {
    if (i >= 0) jobs.splice(i, 1);
  } else if (i >= 0) {
    jobs[i] = updated;
  }
  renderJobs();
}

// The classifier was not sure: the job runs as urgent (the safe side) until someone with the
// right confirms or corrects the call. A phone has no hover, so the why is written out too.
const UNSURE_HELP = '系统判断把握不大，按急修处理，请值班人员确认';
function markUnsure(card) {
  const b = document.createElement('span');
  b.className = 'unsure';
  b.textContent = '待确认';
  b.title = UNSURE_HELP;
  b.setAttribute('aria-label', '待确认：' + UNSURE_HELP);
  card.querySelector('.badge').after(b);
  const note = document.createElement('p');
  note.className = 'unsure-note';
  note.textContent = UNSURE_HELP;
  card.querySelector('.head').after(note);
}

// Who may change the call, as the engine decides it: the station and the centre on any job, a
// firm's manager on its own; the firm's crew may only ask the station.
function reclassifyRight(job) {
  const me = session.member;
  if (job.state === 'DONE') return null;
  if (me.role === 'STATION' || me.role === 'SUPERVISOR') return 'apply';
  if (job.holder !== me.organisation) return null;
  if (me.role === 'MANAGER') return 'apply';
  return me.role === 'CREW' ? 'request' : null;
}

// The rules' categories, as the engine serves them to Open311 clients; on failure the urgency
// alone can still be corrected, and the next form asks again.
async function loadCategories() {
  if (categories) return categories;
  try {
    const res = await fetch('/open311/v2/services.json');
    if (!res.ok) return [];
    categories = (await res.json()).map((s) => ({
      code: s.service_code, name: s.service_name, urgent: s.group === '急修', complaint: s.group === '物业投诉',
    }));
    return categories;
  } catch (e) {
    return [];
  }
}

function closeReclassify(form) {
  form.remove();
  if (deferred) renderJobs();
}

async function openReclassify(card, job, right) {
  const already = card.querySelector('form.reclassify');
  if (already) return already.scrollIntoView({ block: 'nearest' });
  for (const f of $('list').querySelectorAll('form.reclassify')) f.remove();  // one at a time
  const form = $('reclassify').content.firstElementChild.cloneNode(true);
  form.dataset.id = job.id;
  const f = form.elements;
  form.querySelector('.title').textContent = right === 'apply' ? '改判' : '申请改判（由应急站确认）';
  form.querySelector('button[type=submit]').textContent = right === 'apply' ? '确认改判' : '提交申请';
  form.querySelector('.keep').textContent = '不改类别（' + job.classification.category_name + '）';
  f.urgency.value = job.classification.urgency;
  f.reason.placeholder = job.classification.uncertain ? '例如：电话核实，确是急修' : '例如：现场看是墙面渗水';
  // A category brings its own urgency; the person can still change it after.
  f.category.addEventListener('change', () => {
    const c = (categories || []).find((x) => x.code === f.category.value);
    if (c) f.urgency.value = c.urgent ? 'URGENT' : 'GENERAL';
  });
  const id = requestId();  // one correction, however many times it is sent
  form.addEventListener('submit', (e) => { e.preventDefault(); submitReclassify(form, job, id); });
  form.querySelector('.cancel').addEventListener('click', () => closeReclassify(form));
  form.addEventListener('focusout', (e) => {
    if (deferred && !form.contains(e.relatedTarget)) setTimeout(renderJobs);  // after focus has moved
  });
  card.appendChild(form);
  form.scrollIntoView({ block: 'nearest' });
  const kinds = [['急修类', (x) => x.urgent], ['一般维修类', (x) => !x.urgent && !x.complaint],
                 ['物业投诉类', (x) => x.complaint]];
  for (const [label, belongs] of kinds) {
    const group = document.createElement('optgroup');
    group.label = label;
    for (const c of (await loadCategories()).filter(belongs)) group.append(new Option(c.name, c.code));
    if (group.children.length) f.category.append(group);
  }
}

async function submitReclassify(form, job, id) {
  const f = form.elements;
  const body = { urgency: f.urgency.value, reason: f.reason.value.trim(), request_id: id };
  if (f.category.value) body.category = f.category.value;
  if (!body.reason) return banner('请填写改判原因', true);
  if (!navigator.onLine) return banner('网络不可用，改判未提交，请恢复网络后再点一次', true);
  const button = form.querySelector('button[type=submit]');
  button.disabled = true;
  let result = null;
  try {
    result = await call('POST', `/v1/work-orders/${encodeURIComponent(job.id)}/reclassify`, body);
  } catch (e) {
    if (e.message === 'unauthenticated') return;
  } finally {
    button.disabled = false;
  }
  // Sent again with the same request id, a correction whose answer was lost is applied once.
  if (!result) return banner('网络不可用，改判未提交，请稍后再点一次', true);
  if (result.status !== 200 && result.status !== 202) {
    const msg = (result.data && result.data.error && result.data.error.message) || '操作失败';
    return banner('改判未执行：' + msg, true);
  }
  const done = result.status === 202 ? '改判申请已发给应急站，等待确认' : '已改判';
  banner(done);
  setTimeout(() => { if ($('banner').textContent === done) banner(''); }, 6000);
  form.remove();
  replaceJob(result.data);
}

function renderJobs() {
  const list = $('list');
  // Redrawing under the person's fingers would close the phone's keyboard: wait until they leave
  // the form. Otherwise an open correction moves to its job's new card, as written so far.
  const open = list.querySelector('form.reclassify');
  if (open && open.contains(document.activeElement)) {
    deferred = true;
    return;
  }
  deferred = false;
  list.textContent = '';
  $('empty').hidden = jobs.length > 0;
  const tpl = $('job');
  for (const job of jobs) {
    const el = tpl.content.firstElementChild.cloneNode(true);
    el.dataset.id = job.id;
    const urgent = job.classification.urgency === 'URGENT';
    const badge = el.querySelector('.badge');
    badge.textContent = window.halfhour.kindOf(job.classification);
    badge.classList.toggle('urgent', urgent);
    if (job.classification.uncertain) markUnsure(el);
    el.querySelector('.category').textContent = job.classification.category_name;
    el.querySelector('.state').textContent = STATE_TEXT[job.state] || job.state;
    const r = job.resolution;
    const place = [r.community, r.building && r.building + '号', r.room && r.room + '室'].filter(Boolean).join(' ');
    el.querySelector('.where').textContent = place || job.address || '地址待确认';
    el.querySelector('.content').textContent = job.content;
    const rep = el.querySelector('.reporter');
    const phone = job.reporter.phone;
    if (phone && phone.indexOf('*') < 0) {
      rep.textContent = '报修人：' + (job.reporter.name || '') + ' ';
      const a = document.createElement('a');
      a.href = 'tel:' + phone;
      a.textContent = phone;
      rep.appendChild(a);
    } else {
      rep.textContent = phone ? '报修人电话：' + phone + '（接单后可见）' : '';
    }
    const count = job.linked_count || (job.linked ? job.linked.length : 0);
    if (count) {
      // Neighbours who reported the same incident through other doors: one job, more people to
      // tell. The list carries the first few of them; the count is every one.
      const named = (job.linked || [])
        .map((l) => [l.reporter && l.reporter.name, l.reporter && l.reporter.phone].filter(Boolean).join(' ') || '匿名');
      const more = document.createElement('p');
      more.className = 'linked';
      more.textContent = `另有${count}位居民反映同一问题` + (named.length ? '：' + named.join('；') : '') +
        (count > named.length ? '等' : '');
      el.insertBefore(more, el.querySelector('.meta'));
    }
    // The job's code is what an SMS reply names ("1 4821" 接单): shown where the crew can read it off.
    const code = job.short_code ? ` · 工单码 ${job.short_code}` : '';
    el.querySelector('.meta').textContent = `${job.id}${code} · ${job.address || ''}`;
    if (job.classification.advice) {
      const adv = document.createElement('p');
      adv.className = 'content';
      adv.textContent = '⚠ ' + job.classification.advice;
      el.insertBefore(adv, el.querySelector('.reporter'));
    }
    const actions = el.querySelector('.actions');
    for (const [action, text, cls] of actionsFor(job)) {
      const b = document.createElement('button');
      b.className = 'big ' + cls;
      b.dataset.action = action;
      b.textContent = text;
      b.addEventListener('click', () => act(job, action, b));
      actions.appendChild(b);
    }
    const right = reclassifyRight(job);
    if (right) {
      const b = document.createElement('button');
      b.className = 'big wide';
      b.dataset.action = 'reclassify';
      b.textContent = right === 'apply' ? '改判' : '申请改判';
      b.addEventListener('click', () => openReclassify(el, job, right));
      actions.appendChild(b);
    }
    if (open && open.dataset.id === job.id) el.appendChild(open);
    list.appendChild(el);
  }
  tick();
}

// Once a second: redraw only the countdowns.
function tick() {
  for (const el of $('list').children) {
    const job = jobs.find((j) => j.id === el.dataset.id);
    if (!job) continue;
    const box = el.querySelector('.timers');
    box.textContent = '';
    for (const line of timerLines(job)) {
      const d = document.createElement('div');
      d.className = 'timer ' + line.cls;
      d.innerHTML = line.html;
      box.appendChild(d);
    }
  }
}

function render() {
  $('login').hidden = !!session;
  $('jobs').hidden = !session;
  $('logout').hidden = !session;
  $('who').textContent = session ? `${session.member.name} · ${session.member.organisation}` : '';
}

$('login').addEventListener('submit', login);
$('logout').addEventListener('click', () => window.halfhour.endSession().then(() => logout()));
window.addEventListener('online', () => { banner(''); refresh(); });
window.addEventListener('offline', () => banner('网络不可用，操作暂时无法提交', true));
setInterval(tick, 1000);
render();
if (session) { refresh(); startRefreshing(); }
