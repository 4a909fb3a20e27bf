// The committee's walk-in / suggestion-box form: log in, pick one of the committee's
// communities, write the request down, submit through the same path as every channel.
'use strict';

const $ = (id) => document.getElementById(id);
const store = window.localStorage;
let session = JSON.parse(store.getItem('halfhour.committee') || 'null');
// One form number per request written down: a resubmission after a lost answer is a retry,
// never a second job. A new one only once the engine has answered.
let formNo = null;

const banner = window.halfhour.banner;
const newFormNo = () => 'F' + window.halfhour.randomHex(12);
const call = (method, path, body) =>
  window.halfhour.call(() => logout('登录已过期，请重新登录'), method, path, body);

function messageOf(data, fallback) {
  return (data && data.error && data.error.message) || fallback;
}

function logout(message) {
  session = null;
  store.removeItem('halfhour.committee');
  show('login');
  banner(message || '', !!message);
}

function show(which) {
  $('login').hidden = which !== 'login';
  $('report').hidden = which !== 'report';
  $('receipt').hidden = which !== 'receipt';
  $('logout').hidden = !session;
  $('who').textContent = session ? session.name + '（' + session.committee + '居委）' : '';
}

async function login(event) {
  event.preventDefault();
  banner('');
  try {
    const { status, data } = await call('POST', '/v1/auth/login', { phone: $('phone').value.trim(), code: $('code').value.trim() });
    if (status !== 200) { banner(messageOf(data, '登录失败'), true); return; }
    if (data.member.role !== 'COMMITTEE') {
      await window.halfhour.endSession();  // not this page's member: the cookie just set goes again
      banner('该账号不是居委工作人员账号', true);
      return;
    }
    // Who is signed in, for the page; the session itself is the cookie.
    session = { name: data.member.name, committee: data.member.organisation };
    store.setItem('halfhour.committee', JSON.stringify(session));
    await start();
  } catch (e) {
    if (e.message !== 'unauthenticated') banner('网络异常，请稍后重试', true);
  }
}

async function start() {
  const { status, data } = await call('GET', '/v1/channels/walk-in/communities');
  if (status !== 200) { banner(messageOf(data, '无法读取本居委的小区'), true); return; }
  const select = $('community');
  select.replaceChildren(...data.communities.map((name) => {
    const o = document.createElement('option');
    o.value = name;
    o.textContent = name;
    return o;
  }));
  formNo = formNo || newFormNo();
  show('report');
}

async function submit(event) {
  event.preventDefault();
  const text = $('text');
  text.classList.toggle('invalid', !text.value.trim());
  if (!text.value.trim()) { banner('请填写报修内容', true); text.focus(); return; }
  banner('');
  const button = $('submit');
  button.disabled = true;
  try {
    const kind = document.querySelector('input[name="kind"]:checked').value;
    const { status, data } = await call('POST', '/v1/channels/walk-in', {
      form_no: formNo, kind, community: $('community').value, address: $('address').value.trim(),
      name: $('name').value.trim(), phone: $('tel').value.trim(), text: text.value.trim(),
    });
    if (status === 200 || status === 201) {
      formNo = null;
      $('receipt-title').textContent = data.outcome === 'linked' ? '已并入在办工单' : '已受理';
      $('receipt-id').textContent = '工单号 ' + data.work_order_id;
      $('receipt-text').textContent = data.reply;
      show('receipt');
    } else if (status >= 500) {
      banner(messageOf(data, '系统暂不可用') + '（可直接再次提交，不会重复登记）', true);
    } else {
      banner(messageOf(data, '提交失败'), true);
    }
  } catch (e) {
    if (e.message !== 'unauthenticated') banner('网络异常，请再次提交（不会重复登记）', true);
  } finally {
    button.disabled = false;
  }
}

function again() {
  $('report').reset();
  formNo = newFormNo();
  banner('');
  show('report');
  $('text').focus();
}

$('login').addEventListener('submit', login);
$('report').addEventListener('submit', submit);
$('again').addEventListener('click', again);
$('logout').addEventListener('click', () => window.halfhour.endSession().then(() => logout('')));
if (session) start().catch(() => banner('网络异常，请刷新页面', true)); else show('login');
