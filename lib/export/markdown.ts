/**
 * The summary as Markdown (CommonMark): for pasting into a mailing list, a wiki or an issue.
 * Comment text is untrusted: every character that Markdown or HTML would act on is escaped, so a
 * comment cannot turn into a link, a heading or markup wherever the summary is rendered.
 */
import { DISPOSITIONS } from '../review/events';
import { commentMarks, DISPOSITION_TEXT, fateText, ROLE_HEADINGS, utc } from './labels';
import type { CommentView, Participant, Resolution, ThreadView } from './resolution';

/** Escapes inline text: punctuation Markdown or HTML acts on, and line starts that open a block. */
export function mdText(s: string): string {
  return s
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
    out.push(`**Decision:** ${DISPOSITION_TEXT[t.disposition!]}${t.decidedBy ? `, by ${mdText(t.decidedBy)}` : ''}${t.decidedAt !== undefined ? `, ${utc(t.decidedAt)}` : ''}`, '');
    if (t.response) out.push(`**Response:** ${mdText(t.response).split('\n').join('  \n')}`, '');
  } else out.push('**Decision:** none yet', '');
  if (t.fate) {
    out.push(`**In the latest revision:** ${mdText(fateText(t.fate))}`);
    if (t.fate.kind === 'reworded') out.push('', block(t.fate.now, '> '));
    out.push('');
  }
  const later = t.history.filter((h) => h.action !== 'resolved' || t.history.length > 1);
  if (later.length) {
    out.push('History:', '', ...later.map((h) => `- ${utc(h.at)}: ${h.action}${h.disposition ? ` (${DISPOSITION_TEXT[h.disposition]})` : ''} by ${mdText(h.byName)}`), '');
  }
  return out.join('\n');
}

function people(list: Participant[]): string[] {
  return list.map((p) => `- ${mdText(p.name)}${p.removed ? ' (removed)' : ''}: ${p.comments} ${p.comments === 1 ? 'comment' : 'comments'}`);
}

export function toMarkdown(r: Resolution): string {
  const o = r.overview;
  const out: string[] = [`# Resolution of comments: ${mdText(r.title)}`, ''];
  const facts: [string, string][] = [
    ['Group', r.group],
    ['Draft', r.url],
    ['Revision reviewed', r.fingerprint],
    ['Latest revision', r.latestFingerprint],
    ['Review period', periodText(r)],
    ['Exported', utc(r.exportedAt)],
  ];
  for (const [k, v] of facts) if (v) out.push(`- **${k}:** ${mdText(v)}`);
  out.push('', '## Overview', '');
  out.push(`- Threads: ${o.threads} (${o.resolved} resolved, ${o.open} open)`);
  out.push(`- Comments: ${o.comments}, from ${o.participants} ${o.participants === 1 ? 'participant' : 'participants'}`);
  const decided = DISPOSITIONS.filter((d) => o.byDisposition[d] > 0).map((d) => `${DISPOSITION_TEXT[d]} ${o.byDisposition[d]}`);
  out.push(`- Decisions: ${decided.length ? decided.join(', ') : 'none yet'}`, '');
  for (const s of r.sections) {
    out.push(`## ${mdText(s.title)}`, '');
    for (const t of s.threads) out.push(thread(t));
  }
  out.push('## Unresolved', '');
  if (r.unresolved.length) out.push(...r.unresolved.map((t) => `- ${t.number}. ${mdText(t.section || '—')}: “${mdText(short(t.quote))}”`), '');
  else out.push('Every thread has a decision.', '');
  out.push('## Annex I: Outline of the draft', '');
  out.push(...r.outline.map((h) => `${'  '.repeat(Math.max(0, h.level - 1))}- ${mdText(h.title)}`), '');
  out.push('## Annex II: Participants', '');
  for (const role of ['chair', 'member', 'other'] as const) {
    if (!r.participants[role].length) continue;
    out.push(`**${ROLE_HEADINGS[role]}:**`, '', ...people(r.participants[role]), '');
  }
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

export function periodText(r: Resolution): string {
  const { opens, closes } = r.period;
  if (!opens && !closes) return '';
  const at = (iso: string) => utc(Date.parse(iso));
  if (opens && closes) return `${at(opens)} to ${at(closes)}`;
  return opens ? `from ${at(opens)}` : `until ${at(closes!)}`;
}

export function short(s: string, max = 120): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}
