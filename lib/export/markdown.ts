/**
 * The summary as Markdown (CommonMark): for pasting into a mailing list, a wiki or an issue.
 * Comment text is untrusted: every character that Markdown or HTML would act on is escaped, so a
 * comment cannot turn into a link, a heading or markup wherever the summary is rendered.
 */
import { ALL_DECIDED, commentMarks, decidedBy, DISPOSITION_TEXT, fateText, historyLines, NO_DECISION, NO_HEADINGS, oneNewline, outlineDepths, overviewRows, participantLine, ROLE_HEADINGS, titleFacts, unresolvedLine } from './labels';
import type { CommentView, Resolution, ThreadView } from './resolution';

/** Escapes inline text: punctuation Markdown or HTML acts on, and line starts that open a block. */
export function mdText(s: string): string {
  return oneNewline(s)
    .replace(/[\\`*_[\]<>|~&]/g, (c) => `\\${c}`)
    .split('\n')
    .map((line) => line.replace(/^(\s*)([-+=#])/, '$1\\$2').replace(/^(\s*\d+)([.)])/, '$1\\$2'))
    .join('\n');
}

/** A multi-line text as lines under a prefix (a quote, a list item's continuation). */
function block(s: string, prefix: string): string {
  return mdText(s)
    .split('\n')
    .map((line) => `${prefix}${line}`.trimEnd())
    .join('\n');
}

function commentLine(c: CommentView): string {
  const head = `- **${mdText(c.authorName)}** (${commentMarks(c)})`;
  if (c.withheld) return `${head}: *withheld (written after the author was removed)*`;
  if (c.deleted) return `${head}: *deleted by its author*`;
  const [first, ...rest] = mdText(c.body).split('\n');
  const proposal = c.proposal ? ['', `  *Proposed change:* ${mdText(c.proposal).split('\n').join('\n  ')}`] : [];
  return [`${head}: ${first}`, ...rest.map((l) => `  ${l}`.trimEnd()), ...proposal].join('\n');
}

function thread(t: ThreadView): string {
  const out = [`### ${t.number}. ${t.status === 'open' ? 'Open' : DISPOSITION_TEXT[t.disposition!]}`, '', block(t.quote, '> '), ''];
  out.push(...t.comments.map(commentLine), '');
  if (t.status === 'resolved') {
    const by = decidedBy(t);
    out.push(`**Decision:** ${DISPOSITION_TEXT[t.disposition!]}${by ? `, ${mdText(by)}` : ''}`, '');
    if (t.response) out.push(`**Response:** ${mdText(t.response).split('\n').join('  \n')}`, '');
  } else out.push(`**Decision:** ${NO_DECISION}`, '');
  if (t.fate) {
    out.push(`**In the latest revision:** ${mdText(fateText(t.fate))}`);
    if (t.fate.kind === 'reworded') out.push('', block(t.fate.now, '> '));
    out.push('');
  }
  const history = historyLines(t);
  if (history.length) out.push('History:', '', ...history.map((line) => `- ${mdText(line)}`), '');
  return out.join('\n');
}

export function toMarkdown(r: Resolution): string {
  const out: string[] = [`# Resolution of comments: ${mdText(r.title)}`, ''];
  for (const [k, v] of titleFacts(r)) out.push(`- **${k}:** ${mdText(v)}`);
  out.push('', '## Overview', '', ...overviewRows(r).map(([k, v]) => `- ${k}: ${mdText(v)}`), '');
  for (const s of r.sections) {
    out.push(`## ${mdText(s.title)}`, '');
    for (const t of s.threads) out.push(thread(t));
  }
  out.push('## Unresolved', '');
  // "3\." and not "3.": a number and a full stop at the start of a list item would open a nested list.
  if (r.unresolved.length) out.push(...r.unresolved.map((t) => `- ${t.number}\\. ${mdText(unresolvedLine(t))}`), '');
  else out.push(ALL_DECIDED, '');
  out.push('## Annex I: Outline of the draft', '');
  const depths = outlineDepths(r.outline);
  if (r.outline.length) out.push(...r.outline.map((h, i) => `${'  '.repeat(depths[i])}- ${mdText(h.title)}`), '');
  else out.push(NO_HEADINGS, '');
  out.push('## Annex II: Participants', '');
  for (const role of ['chair', 'member', 'other'] as const) {
    if (!r.participants[role].length) continue;
    out.push(`**${ROLE_HEADINGS[role]}:**`, '', ...r.participants[role].map((p) => `- ${mdText(participantLine(p))}`), '');
  }
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}
