// Form fields with a label, a hint and a place for the API's error beside them; and the error summary on top.
import { h, clear, announce } from './dom.js';

let counter = 0;

/**
 * A labelled field. name is the API's field name (errors for it, or below it such as config.x for "config", land
 * here). kind: text, number, select, textarea, checkbox, email, url.
 */
export function field(name, label, { kind = 'text', hint, value, options, required, attrs = {}, errorsFor } = {}) {
  const id = 'f-' + name.replace(/[^A-Za-z0-9]/g, '-') + '-' + (++counter);
  const hintId = hint ? id + '-hint' : null;
  const errId = id + '-error';
  let control;
  if (kind === 'select') {
    control = h('select', { id, name, ...attrs },
      options.map(o => h('option', { value: o.value ?? o, selected: (o.value ?? o) === value }, o.label ?? o)));
  } else if (kind === 'textarea') {
    control = h('textarea', { id, name, rows: 4, ...attrs });
    control.value = value ?? '';
  } else if (kind === 'checkbox') {
    control = h('input', { id, name, type: 'checkbox', checked: !!value, ...attrs });
  } else {
    control = h('input', { id, name, type: kind, value: value ?? '', autocomplete: 'off', ...attrs });
  }
  if (required) control.setAttribute('aria-required', 'true');
  control.setAttribute('aria-describedby', [hintId, errId].filter(Boolean).join(' '));
  const error = h('p', { id: errId, class: 'error', hidden: true });
  const wrap = kind === 'checkbox'
    ? h('div', { class: 'field' }, control, ' ', h('label', { for: id, style: null }, label), hint && h('p', { class: 'hint', id: hintId }, hint), error)
    : h('div', { class: 'field' }, h('label', { for: id }, label + (required ? '' : ' (optional)')),
      hint && h('p', { class: 'hint', id: hintId }, hint), error, control);
  wrap.dataset.field = name;
  if (errorsFor) wrap.dataset.errorsFor = errorsFor;
  return wrap;
}

export function value(form, name) {
  const el = form.querySelector(`[data-field="${CSS.escape(name)}"] input, [data-field="${CSS.escape(name)}"] select, [data-field="${CSS.escape(name)}"] textarea`);
  if (!el) return undefined;
  if (el.type === 'checkbox') return el.checked;
  return el.value.trim();
}

export function number(form, name) {
  const v = value(form, name);
  if (v === '' || v === undefined) return undefined;
  const n = Number(v);
  return Number.isFinite(n) && String(n) === v.replace(/^0+(?=\d)/, '') ? n : v;
}

/** Forget the errors shown. */
export function clearErrors(form) {
  form.querySelectorAll('.field.invalid').forEach(f => f.classList.remove('invalid'));
  form.querySelectorAll('.field .error').forEach(e => { e.hidden = true; e.textContent = ''; });
  form.querySelectorAll('[aria-invalid]').forEach(e => e.removeAttribute('aria-invalid'));
  const summary = form.querySelector('.summary');
  if (summary) summary.remove();
}

function fieldFor(form, name) {
  const exact = form.querySelector(`[data-field="${CSS.escape(name)}"]`);
  if (exact) return exact;
  // config.retention.ms -> its own field if the form has one, else the field that takes the rest of config.*
  for (const f of form.querySelectorAll('[data-errors-for]')) {
    if (name.startsWith(f.dataset.errorsFor)) return f;
  }
  return null;
}

/**
 * Shows a problem+json's field errors beside their fields and a summary on top that links to each; the summary gets
 * the focus so that keyboard and screen-reader users hear what is wrong.
 */
export function showProblem(form, error) {
  clearErrors(form);
  const items = [];
  for (const e of error.fieldErrors) {
    const f = fieldFor(form, e.field);
    const text = (f && f.dataset.field === e.field ? '' : e.field + ': ') + e.message;
    if (f) {
      f.classList.add('invalid');
      const p = f.querySelector('.error');
      p.hidden = false;
      p.textContent = p.textContent ? p.textContent + '; ' + text : text;
      const control = f.querySelector('input, select, textarea');
      control.setAttribute('aria-invalid', 'true');
      items.push(h('li', {}, h('a', { href: '#' + control.id, onclick: (ev) => { ev.preventDefault(); control.focus(); } },
        e.field + ': ' + e.message)));
    } else {
      items.push(h('li', {}, e.field + ': ' + e.message));
    }
  }
  const title = error.problem.title || 'The request was refused';
  const summary = h('div', { class: 'summary', tabindex: '-1', role: 'alert' },
    h('h2', {}, error.fieldErrors.length ? `${title}: ${error.fieldErrors.length} field(s) to fix` : title),
    error.problem.detail && h('p', {}, error.problem.detail),
    items.length ? h('ul', {}, items) : null);
  form.prepend(summary);
  summary.focus();
  announce(title);
}

export { clear };
