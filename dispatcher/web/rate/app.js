// The reporter's page: the link from the completion SMS (/r/<token>) shows the job and takes one
// rating. The token in the address is the only credential; it is never stored by the page.
'use strict';

(() => {
  const hh = window.halfhour;
  const $ = (id) => document.getElementById(id);
  const token = decodeURIComponent(location.pathname.replace(/^\/r\//, ''));
  const api = '/v1/ratings/' + encodeURIComponent(token);
  const names = { SATISFIED: '满意', BASICALLY_SATISFIED: '基本满意', DISSATISFIED: '不满意' };
  // One id for this page's submission: a retry after a lost answer is applied once.
  const requestId = hh.randomHex(12);

  const time = (iso) => {
    if (!iso) return '—';
    const d = new Date(iso);
    // Shanghai time whatever the phone's zone: the job happened there.
    return d.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false,
      year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
  };

  function showJob(v) {
    $('job-title').textContent = (v.kind === 'COMPLAINT' ? '您反映的问题：' : '您报修的问题：') + (v.category_name || '');
    $('job-id').textContent = v.work_order_id;
    $('job-community').textContent = v.community || '—';
    $('job-holder').textContent = v.holder || '—';
    $('job-accepted').textContent = time(v.accepted_at);
    $('job-completed').textContent = time(v.completed_at);
    $('expires').textContent = time(v.expires_at);
    $('job').hidden = false;
  }

  function showRated(v) {
    $('rate').hidden = true;
    $('done-outcome').textContent = names[v.rating] || v.rating;
    $('done-note').textContent = v.comment || '';
    $('done-note').hidden = !v.comment;
    $('done-at').textContent = '评价时间：' + time(v.rated_at);
    $('done-redo').hidden = v.rating !== 'DISSATISFIED';
    $('done').hidden = false;
  }

  function show(v) {
    showJob(v);
    if (v.link === 'RATED') showRated(v);
    else $('rate').hidden = false;
  }

  // A link we did not make, or one past its time: say so, show nothing of any job.
  function refused(status, data) {
    const why = (data && data.error && data.error.message) || '';
    if (status === 410) hh.banner(why || '评价链接已过期', true);
    else if (status === 404) hh.banner(why || '评价链接无效', true);
    else hh.banner(why || '暂时无法评价，请稍后再试', true);
  }

  async function call(method, body) {
    const init = { method, headers: {} };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const res = await fetch(api, init);
    let data = null;
    try { data = await res.json(); } catch (e) { data = null; }
    return { status: res.status, data };
  }

  async function load() {
    try {
      const { status, data } = await call('GET');
      if (status === 200) show(data);
      else refused(status, data);
    } catch (e) {
      hh.banner('网络异常，请稍后刷新重试', true);
    }
  }

  document.querySelectorAll('input[name=outcome]').forEach((r) => r.addEventListener('change', () => {
    $('redo-hint').hidden = r.value !== 'DISSATISFIED' || !r.checked;
    hh.banner('');
  }));

  $('rate').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const picked = document.querySelector('input[name=outcome]:checked');
    if (!picked) {
      hh.banner('请先选择满意、基本满意或不满意', true);
      return;
    }
    $('submit').disabled = true;
    try {
      const { status, data } = await call('POST', { outcome: picked.value, note: $('note').value.trim(),
                                                   request_id: requestId });
      if (status === 200) {
        hh.banner('评价已提交，谢谢！');
        show(data);
      } else if (status === 409) {
        hh.banner('此链接已评价过，以下是已提交的评价');
        show(data);
      } else {
        refused(status, data);
      }
    } catch (e) {
      hh.banner('网络异常，评价未确认，请再点一次提交', true);
    } finally {
      $('submit').disabled = false;
    }
  });

  load();
})();
