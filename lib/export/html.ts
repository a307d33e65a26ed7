/**
 * The summary as one self-contained HTML file: no script, no outside resource, a stylesheet for
 * screen and print (Print → Save as PDF gives the document to circulate). Every text is escaped:
 * comments are untrusted, and the file is opened by people who trust it.
 */
import { ALL_DECIDED, commentMarks, decidedBy, DISPOSITION_TEXT, fateText, historyLines, NO_DECISION, NO_HEADINGS, oneNewline, overviewRows, participantLine, ROLE_HEADINGS, titleFacts, unresolvedLine } from './labels';
import type { CommentView, Resolution, ThreadView } from './resolution';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c]);
/** Line breaks of a multi-line text kept as <br>, everything else escaped. */
const lines = (s: string): string => esc(oneNewline(s)).replace(/\n/g, '<br>');

const STYLE = `
:root { color-scheme: light; }
body { font: 11pt/1.45 "Liberation Serif", "Times New Roman", serif; color: #111; max-width: 48rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6em; margin: 0 0 .3em; } h2 { font-size: 1.25em; margin: 1.6em 0 .5em; border-bottom: 1px solid #999; }
h3 { font-size: 1.05em; margin: 1.2em 0 .3em; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15em 1em; margin: 0 0 1em; }
dl.facts dt { font-weight: bold; } dl.facts dd { margin: 0; overflow-wrap: anywhere; }
blockquote { margin: .3em 0 .5em; padding: .2em .8em; border-left: 3px solid #bbb; background: #f5f5f5; }
ul.comments { list-style: none; padding: 0; margin: .3em 0; } ul.comments li { margin: .25em 0; }
.meta { color: #555; font-size: .9em; } .gone { font-style: italic; color: #555; }
.thread { margin-bottom: 1em; }
blockquote, ul.comments li, .decision { break-inside: avoid; page-break-inside: avoid; }
h3 { break-after: avoid; page-break-after: avoid; }
.decision { margin: .3em 0; } .status-open { color: #8a4b00; font-weight: bold; }
table.overview { border-collapse: collapse; } table.overview td, table.overview th { border: 1px solid #bbb; padding: .15em .6em; text-align: left; }
@media print {
  body { margin: 0; max-width: none; font-size: 10.5pt; }
  @page { margin: 2cm; }
  a { color: inherit; text-decoration: none; }
  h2 { break-after: avoid; page-break-after: avoid; }
  .annex { break-before: page; page-break-before: always; }
}`;

function comment(c: CommentView): string {
  const text = c.withheld
    ? '<span class="gone">withheld (written after the author was removed)</span>'
    : c.deleted
      ? '<span class="gone">deleted by its author</span>'
      : lines(c.body) + (c.proposal ? `<br><em>Proposed change:</em> ${lines(c.proposal)}` : '');
  return `<li><strong>${esc(c.authorName)}</strong> <span class="meta">(${esc(commentMarks(c))})</span>: ${text}</li>`;
}

function thread(t: ThreadView): string {
  const title = t.status === 'open' ? '<span class="status-open">Open</span>' : esc(DISPOSITION_TEXT[t.disposition!]);
  const out = [`<section class="thread" id="t${t.number}"><h3>${t.number}. ${title}</h3>`, `<blockquote>${lines(t.quote)}</blockquote>`];
  out.push(`<ul class="comments">${t.comments.map(comment).join('')}</ul>`);
  if (t.status === 'resolved') {
    const by = decidedBy(t);
    out.push(`<p class="decision"><strong>Decision:</strong> ${esc(DISPOSITION_TEXT[t.disposition!])}${by ? ` <span class="meta">(${esc(by)})</span>` : ''}</p>`);
    if (t.response) out.push(`<p class="decision"><strong>Response:</strong> ${lines(t.response)}</p>`);
  } else out.push(`<p class="decision"><strong>Decision:</strong> ${NO_DECISION}</p>`);
  if (t.fate) {
    out.push(`<p class="decision"><strong>In the latest revision:</strong> ${esc(fateText(t.fate))}</p>`);
    if (t.fate.kind === 'reworded') out.push(`<blockquote>${lines(t.fate.now)}</blockquote>`);
  }
  const history = historyLines(t);
  if (history.length) out.push(`<p class="decision"><strong>History:</strong></p><ul class="history">${history.map((line) => `<li>${esc(line)}</li>`).join('')}</ul>`);
  out.push('</section>');
  return out.join('\n');
}

export function toHtml(r: Resolution): string {
  const body: string[] = [
    `<h1>Resolution of comments: ${esc(r.title)}</h1>`,
    `<dl class="facts">${titleFacts(r).map(([k, v]) => `<dt>${k}</dt><dd>${esc(v)}</dd>`).join('')}</dl>`,
    '<h2>Overview</h2>',
    `<table class="overview"><tbody>${overviewRows(r).map(([k, v]) => `<tr><th>${k}</th><td>${esc(v)}</td></tr>`).join('')}</tbody></table>`,
  ];
  for (const s of r.sections) body.push(`<h2>${esc(s.title)}</h2>`, ...s.threads.map(thread));
  body.push('<h2>Unresolved</h2>');
  body.push(r.unresolved.length ? `<ul>${r.unresolved.map((t) => `<li><a href="#t${t.number}">${t.number}.</a> ${esc(unresolvedLine(t))}</li>`).join('')}</ul>` : `<p>${ALL_DECIDED}</p>`);
  body.push('<section class="annex"><h2>Annex I: Outline of the draft</h2>', outlineList(r), '</section>');
  body.push('<section class="annex"><h2>Annex II: Participants</h2>');
  for (const role of ['chair', 'member', 'other'] as const) {
    const list = r.participants[role];
    if (!list.length) continue;
    body.push(`<h3>${ROLE_HEADINGS[role]}:</h3><ul>${list.map((p) => `<li>${esc(participantLine(p))}</li>`).join('')}</ul>`);
  }
  body.push('</section>');
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // Nothing in the file may load or run anything: it is a document.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    `<title>Resolution of comments: ${esc(r.title)}</title>`,
    `<style>${STYLE}\n</style>`,
    '</head>',
    '<body>',
    ...body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** The outline as nested lists, following heading levels. */
function outlineList(r: Resolution): string {
  if (!r.outline.length) return `<p>${NO_HEADINGS}</p>`;
  const out: string[] = [];
  const stack: number[] = [];
  for (const h of r.outline) {
    while (stack.length && stack[stack.length - 1] > h.level) {
      out.push('</li></ul>');
      stack.pop();
    }
    if (stack.length && stack[stack.length - 1] === h.level) out.push('</li>');
    else {
      out.push('<ul>');
      stack.push(h.level);
    }
    out.push(`<li>${esc(h.title)}`);
  }
  while (stack.length) {
    out.push('</li></ul>');
    stack.pop();
  }
  return out.join('');
}
