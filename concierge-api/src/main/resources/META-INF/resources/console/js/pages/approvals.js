// The approver's queue: requests waiting for approval, with their summary and diff; approve or reject with a comment.
import { h, clear, time, table, notice, link, enc, announce, facts, put } from '../dom.js';
import * as api from '../api.js';

export async function queue(main, ctx) {
  ctx.title('Approvals');
  put(main, h('h1', {}, 'Waiting for approval'));
  // asked only where the API's document has it, so an installation without approvals sees no failed call
  const list = (await api.features()).approvals ? await api.optional('/api/v1/approvals') : null;
  if (list === null) {
    put(main, notice('This installation has no approvals: every valid request is carried out at once.'));
    return;
  }
  const items = Array.isArray(list) ? list : (list.items || []);
  if (!items.length) {
    put(main, h('p', {}, 'Nothing waits for you.'));
    return;
  }
  for (const a of items) {
    const commentId = 'comment-' + a.requestId;
    const out = h('div', { 'aria-live': 'polite' });
    const decide = (verb) => async (ev) => {
      const comment = document.getElementById(commentId).value.trim();
      ev.target.disabled = true;
      try {
        // the approval holds for the content shown here only (its hash)
        await api.call('POST', `/api/v1/requests/${enc(a.requestId)}/${verb}`, verb === 'approve' ? { comment, contentHash: a.contentHash } : { comment });
        put(clear(out), notice(verb === 'approve' ? 'Approved.' : 'Rejected.'));
        announce(verb === 'approve' ? 'Approved' : 'Rejected');
      } catch (e) {
        ev.target.disabled = false;
        if (e.status !== 401) put(clear(out), notice(e.message, true));
      }
    };
    put(main, h('section', { class: 'notice', 'aria-labelledby': 'h-' + a.requestId },
      h('h2', { id: 'h-' + a.requestId }, `${a.operation || ''} ${a.kind || ''} ${a.resource || ''}`.trim()),
      facts([['Team', a.owner], ['Environment', a.environment], ['Asked by', a.requestedBy && (a.requestedBy.name || a.requestedBy.subject || a.requestedBy)],
        ['Asked', time(a.requestedAt)], ['Expires', time(a.expiresAt)], ['Summary', a.summary],
        ['Approvals', `${(a.approvals || []).length} of ${a.required ?? '?'}`], ['Request', link('#/requests/' + enc(a.requestId), a.requestId)]]),
      (a.reasons || []).length ? h('p', {}, 'Why approval: ' + a.reasons.join('; ')) : null,
      (a.approvals || []).length ? table('Approvals so far', ['By', 'When', 'Comment'], a.approvals.map(x => [x.by && (x.by.name || x.by.subject) || '', time(x.at), x.comment || ''])) : null,
      h('div', { class: 'field' }, h('label', { for: commentId }, 'Comment'), h('textarea', { id: commentId, rows: 2 })),
      h('div', { class: 'actions' }, h('button', { type: 'button', class: 'primary', onclick: decide('approve') }, 'Approve'),
        h('button', { type: 'button', class: 'danger', onclick: decide('reject') }, 'Reject')), out));
  }
}
