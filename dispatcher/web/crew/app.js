// The crew page: log in, see my jobs with live countdowns, act on them. Plain script, no build.
'use strict';

const $ = (id) => document.getElementById(id);
const store = window.localStorage;
let session = JSON.parse(store.getItem('halfhour.session') || 'null');
let jobs = [];
let clockSkewMs = 0;  // server time minus phone time: countdowns use the server's clock
let refreshTimer = null;

const STATE_TEXT = { DISPATCHED: '待接单', TRIAGE: '待分拣', ACKNOWLEDGED: '已接单', CONTACTED: '已联系',
                     ON_SITE: '已到场', DONE: '已完工' };
const CLOCK_TEXT = { ACKNOWLEDGE: '接单', ON_SITE: '到场', CONTACT: '联系报修人', COMPLETION: '完工' };

const banner = window.halfhour.banner;
// Request ids identify one press of a button, so a retry after a lost answer is not a second action.
const requestId = () => window.halfhour.randomHex(16);
const call = (method, path, body) =>
  window.halfhour.call(session, () => logout('登录已过期，请重新登录'), method, path, body);

function logout(message) {
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
    session = { token: data.token, member: data.member };
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
  return m >= 60 ? Math.floor(m / 60) + '小时' + (m % 60) + '分' : m + '分' + String(s).padStart(2, '0') + '秒';
}

function timerLines(job) {
  const now = Date.now() + clockSkewMs;
  const lines = [];
  for (const c of job.clocks) {
    if (c.retired) continue;
    const name = CLOCK_TEXT[c.kind] || c.kind;
    if (c.stopped_at) {
      if (c.kind !== 'COMPLETION') lines.push({ cls: 'met', html: `${name}：${c.breached_at ? '已完成（超时）' : '已按时完成'}` });
      continue;
    }
    const left = Date.parse(c.deadline) - now;
    if (left <= 0) {
      lines.push({ cls: 'over', html: `${name}已超时 <b>${minutesText(left)}</b>` });
    } else if (c.kind !== 'COMPLETION' || left < 3600 * 1000) {
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
  if (updated.state === 'DONE' || (session && updated.holder !== session.member.organisation)) {
    if (i >= 0) jobs.splice(i, 1);
  } else if (i >= 0) {
    jobs[i] = updated;
  }
  renderJobs();
}

function renderJobs() {
  const list = $('list');
  list.textContent = '';
  $('empty').hidden = jobs.length > 0;
  const tpl = $('job');
  for (const job of jobs) {
    const el = tpl.content.firstElementChild.cloneNode(true);
    el.dataset.id = job.id;
    const urgent = job.classification.urgency === 'URGENT';
    const badge = el.querySelector('.badge');
    badge.textContent = urgent ? '急修' : '一般';
    badge.classList.toggle('urgent', urgent);
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
    el.querySelector('.meta').textContent = `${job.id} · ${job.address || ''}`;
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
$('logout').addEventListener('click', () => logout());
window.addEventListener('online', () => { banner(''); refresh(); });
window.addEventListener('offline', () => banner('网络不可用，操作暂时无法提交', true));
setInterval(tick, 1000);
render();
if (session) { refresh(); startRefreshing(); }
