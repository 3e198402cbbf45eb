// Small DOM helpers: every text goes in as text (never as HTML), so nothing the API answers can become markup.

/** h('p', {class: 'x', onclick: f}, 'text', child, ...) */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

/** A state as a word with a mark (readable without colour). */
export function state(value) {
  return h('span', { class: `state state-${value || 'UNKNOWN'}` }, (value || 'unknown').replaceAll('_', ' '));
}

export function time(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return h('time', { datetime: iso }, isNaN(d) ? iso : d.toLocaleString());
}

/** A table with a caption and column headers; rows are arrays of cells. */
export function table(caption, headers, rows, empty = 'Nothing yet.') {
  if (!rows.length) return h('p', {}, empty);
  return h('div', { class: 'table-wrap' }, h('table', {},
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, headers.map(x => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, rows.map(r => h('tr', {}, r.map((c, i) => i === 0 ? h('th', { scope: 'row' }, c) : h('td', {}, c)))))));
}

export function facts(pairs) {
  return h('dl', { class: 'facts' }, pairs.filter(p => p[1] !== undefined && p[1] !== null && p[1] !== '')
    .map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

export function notice(text, bad = false) {
  return h('div', { class: bad ? 'notice bad' : 'notice', role: bad ? 'alert' : null }, text);
}

/** Tell screen-reader users what changed, without moving their focus. */
export function announce(text) {
  const el = document.getElementById('announce');
  el.textContent = '';
  setTimeout(() => { el.textContent = text; }, 50);
}

export function link(href, text) {
  return h('a', { href }, text);
}

export function enc(s) {
  return encodeURIComponent(s);
}

/** el.append that leaves out null, undefined and false (the native one would write "null"). */
export function put(el, ...children) {
  return append(el, children);
}
