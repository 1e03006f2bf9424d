// The sandbox page's script: reports what the person does to the sandbox server (which sends Slack's signed
// requests to the app) and swaps in the fragments the server renders when something changed. No framework, no
// build step. Everything shown comes from the server as escaped HTML; this script only sets text and values.
(() => {
  const body = document.body;
  const as = body.dataset.as;
  const conversation = body.dataset.conversation;
  let revision = body.dataset.revision;

  async function post(path, data) {
    const res = await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(data),
    });
    const answer = await res.json().catch(() => ({ ok: false, error: `HTTP ${res.status}` }));
    if (!res.ok && answer.ok === undefined) answer.ok = false;
    return answer;
  }

  // ----- fields: what an element holds, as { blockId, actionId, values, labels } -------------------------------

  function fieldOf(el) {
    const field = {
      blockId: el.dataset.blockId || '',
      actionId: el.dataset.actionId || '',
      values: [],
      labels: [],
    };
    const type = el.dataset.type;
    if (type === 'external_select' || type === 'multi_external_select') {
      const hidden = el.querySelector('.bk-value');
      if (hidden?.value) {
        field.values.push(hidden.value);
        field.labels.push(hidden.dataset.label || hidden.value);
      }
    } else if (type === 'checkboxes' || type === 'radio_buttons') {
      for (const input of el.querySelectorAll('input:checked')) field.values.push(input.value);
    } else {
      const control = el.querySelector('select, input, textarea');
      if (control instanceof HTMLSelectElement) {
        for (const option of control.selectedOptions) if (option.value) field.values.push(option.value);
      } else if (control) field.values.push(control.value);
    }
    return field;
  }

  function fieldsIn(container) {
    return [...container.querySelectorAll('.bk-el[data-action-id]')]
      .filter((el) => el.dataset.type !== 'button')
      .map(fieldOf);
  }

  // ----- fragments ------------------------------------------------------------------------------------------------

  function restoreFields(container, fields) {
    for (const field of fields) {
      const el = [...container.querySelectorAll('.bk-el')].find(
        (e) => e.dataset.blockId === field.blockId && e.dataset.actionId === field.actionId,
      );
      if (!el) continue;
      const type = el.dataset.type;
      if (type === 'external_select' || type === 'multi_external_select') {
        const hidden = el.querySelector('.bk-value');
        hidden.value = field.values[0] || '';
        hidden.dataset.label = field.labels[0] || '';
        el.querySelector('.bk-search').value = field.labels[0] || '';
      } else if (type === 'checkboxes' || type === 'radio_buttons') {
        for (const input of el.querySelectorAll('input')) input.checked = field.values.includes(input.value);
      } else {
        const control = el.querySelector('select, input, textarea');
        if (control instanceof HTMLSelectElement) {
          for (const option of control.options) option.selected = field.values.includes(option.value);
        } else if (control) control.value = field.values[0] ?? '';
      }
    }
  }

  function showModal(modal) {
    const layer = document.getElementById('modal-layer');
    const key = modal ? modal.key : '';
    if (layer.dataset.key === key) return;
    const viewId = key.split(':')[0];
    const oldViewId = (layer.dataset.key || '').split(':')[0];
    // Like Slack on views.update: what was typed stays in inputs whose block and action IDs did not change.
    const kept = viewId && viewId === oldViewId ? fieldsIn(layer) : [];
    layer.dataset.key = key;
    layer.innerHTML = modal ? modal.html : '';
    layer.hidden = !modal;
    if (kept.length > 0) restoreFields(layer, kept);
  }

  async function refresh() {
    const res = await fetch(`/ui/view?as=${encodeURIComponent(as)}&c=${encodeURIComponent(conversation)}`);
    if (!res.ok) return;
    const view = await res.json();
    revision = view.revision;
    const timeline = document.getElementById('timeline');
    const atBottom = timeline.scrollHeight - timeline.scrollTop - timeline.clientHeight < 40;
    timeline.innerHTML = view.timeline;
    if (atBottom) timeline.scrollTop = timeline.scrollHeight;
    showModal(view.modal);
    const select = document.getElementById('recording-meeting');
    if (select && select.dataset.html !== view.meetings) {
      const chosen = select.value;
      select.innerHTML = view.meetings;
      select.dataset.html = view.meetings;
      if ([...select.options].some((o) => o.value === chosen)) select.value = chosen;
    }
  }

  async function poll() {
    try {
      const res = await fetch('/ui/revision');
      const answer = await res.json();
      if (answer.revision !== revision) await refresh();
    } catch {
      // The sandbox stopped or restarted: keep trying quietly.
    }
    setTimeout(poll, 400);
  }

  // ----- confirmations ------------------------------------------------------------------------------------------

  function confirmFirst(el) {
    const template = el.querySelector('template.bk-confirm');
    if (!template) return Promise.resolve(true);
    const layer = document.getElementById('confirm-layer');
    layer.innerHTML = '';
    const dialog = document.createElement('div');
    dialog.className = 'confirm-dialog';
    dialog.setAttribute('role', 'dialog');
    dialog.append(template.content.cloneNode(true));
    layer.append(dialog);
    layer.hidden = false;
    return new Promise((resolve) => {
      dialog.addEventListener('click', (event) => {
        const button = event.target.closest('button');
        if (!button) return;
        layer.hidden = true;
        layer.innerHTML = '';
        resolve(button.classList.contains('confirm'));
      });
    });
  }

  // ----- actions --------------------------------------------------------------------------------------------------

  function status(text) {
    const el = document.getElementById('composer-status');
    if (el) el.textContent = text || '';
  }

  async function act(el, field) {
    const modal = el.closest('.modal');
    const home = el.closest('.home');
    const message = el.closest('.msg');
    let answer;
    if (modal || home) {
      const container = modal || home;
      answer = await post('/ui/view-action', {
        as,
        viewId: container.dataset.viewId,
        field,
        fields: fieldsIn(container),
      });
    } else if (message) {
      answer = await post('/ui/action', {
        as,
        c: conversation,
        source: JSON.parse(message.dataset.source),
        field,
      });
    }
    if (answer && !answer.ok) status(`The app did not take that: ${answer.error}`);
  }

  document.addEventListener('click', async (event) => {
    const target = event.target;
    const button = target.closest('.bk-el[data-type="button"] > button');
    if (button) {
      const el = button.parentElement;
      if (!(await confirmFirst(el))) return;
      // A link button opens its URL and, as in Slack, still tells the app it was pressed.
      if (button.dataset.url) window.open(button.dataset.url, '_blank', 'noopener');
      const field = { blockId: el.dataset.blockId, actionId: el.dataset.actionId, values: [], labels: [] };
      await act(el, field);
      return;
    }
    const option = target.closest('.bk-options li');
    if (option) {
      const el = option.closest('.bk-el');
      const hidden = el.querySelector('.bk-value');
      hidden.value = option.dataset.value;
      hidden.dataset.label = option.textContent;
      el.querySelector('.bk-search').value = option.textContent;
      el.querySelector('.bk-options').hidden = true;
      if (el.dataset.dispatch === '1') await act(el, fieldOf(el));
      return;
    }
    if (target.closest('.bk-close')) {
      const modal = target.closest('.modal');
      await post('/ui/close', { as, viewId: modal.dataset.viewId });
      return;
    }
    if (target.closest('.bk-submit')) {
      const modal = target.closest('.modal');
      for (const e of modal.querySelectorAll('.bk-error')) {
        e.hidden = true;
        e.textContent = '';
      }
      const problem = modal.querySelector('.modal-problem');
      if (problem) problem.remove();
      const answer = await post('/ui/submit', { as, viewId: modal.dataset.viewId, fields: fieldsIn(modal) });
      if (answer.errors) {
        for (const [blockId, text] of Object.entries(answer.errors)) {
          const block = [...modal.querySelectorAll('.bk-block')].find((b) => b.dataset.blockId === blockId);
          const slot = block?.querySelector('.bk-error');
          if (slot) {
            slot.textContent = text;
            slot.hidden = false;
          }
        }
      } else if (!answer.ok) {
        const p = document.createElement('div');
        p.className = 'modal-problem';
        p.textContent = answer.error || 'Something went wrong.';
        modal.querySelector('.modal-buttons').before(p);
      }
    }
  });

  document.addEventListener('change', async (event) => {
    const el = event.target.closest('.bk-el');
    if (!el || el.dataset.type === 'button' || el.dataset.type === 'external_select') return;
    if (el.dataset.dispatch === '1') await act(el, fieldOf(el));
  });

  // External selects: the app answers each query (block_suggestion).
  const timers = new WeakMap();
  async function suggest(el) {
    const search = el.querySelector('.bk-search');
    const list = el.querySelector('.bk-options');
    const min = Number(el.dataset.minQueryLength || 3);
    if (search.value.length < min) {
      list.hidden = true;
      return;
    }
    const container = el.closest('.modal') || el.closest('.home');
    const field = { blockId: el.dataset.blockId, actionId: el.dataset.actionId, values: [], labels: [] };
    const answer = await post('/ui/suggest', {
      as,
      viewId: container.dataset.viewId,
      field,
      query: search.value,
      fields: fieldsIn(container),
    });
    list.innerHTML = '';
    for (const o of answer.options || []) {
      const li = document.createElement('li');
      li.textContent = o.text;
      li.dataset.value = o.value;
      list.append(li);
    }
    if (!answer.ok) {
      const li = document.createElement('li');
      li.className = 'problem';
      li.textContent = `No options (${answer.error})`;
      list.append(li);
    }
    list.hidden = false;
  }
  document.addEventListener('input', (event) => {
    if (!event.target.classList.contains('bk-search')) return;
    const el = event.target.closest('.bk-el');
    clearTimeout(timers.get(el));
    timers.set(
      el,
      setTimeout(() => suggest(el), 200),
    );
  });
  document.addEventListener('focusin', (event) => {
    if (event.target.classList?.contains('bk-search')) suggest(event.target.closest('.bk-el'));
  });

  // ----- composer, person switch, sandbox controls --------------------------------------------------------------

  const composer = document.getElementById('composer');
  if (composer) {
    composer.addEventListener('submit', async (event) => {
      event.preventDefault();
      const input = document.getElementById('composer-input');
      const text = input.value.trim();
      if (!text) return;
      input.value = '';
      status('');
      const answer = await post('/ui/send', { as, c: conversation, text });
      if (!answer.ok) status(answer.error || 'not sent');
    });
  }

  document.getElementById('act-as').addEventListener('change', (event) => {
    const next = event.target.value;
    // The DM with the app is per person (D + the user ID without its U).
    const dm = conversation.startsWith('D') ? `D${next.slice(1)}` : conversation;
    location.href = `/?as=${encodeURIComponent(next)}&c=${encodeURIComponent(dm)}`;
  });

  document.getElementById('finish-recording').addEventListener('submit', async (event) => {
    event.preventDefault();
    const meetId = document.getElementById('recording-meeting').value;
    const out = document.getElementById('recording-status');
    if (!meetId) {
      out.textContent = 'Start a meeting first.';
      return;
    }
    const answer = await post('/ui/finish-recording', { meetId });
    out.textContent = answer.ok
      ? 'Recording finished: the app DMs the host at its next check.'
      : `Failed: ${answer.error}`;
  });

  if (conversation === 'home') post('/ui/home', { as });
  const timeline = document.getElementById('timeline');
  timeline.scrollTop = timeline.scrollHeight;
  poll();
})();
