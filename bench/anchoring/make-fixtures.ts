/**
 * Makes the two extra documents of the anchoring corpus from the project's own prose, once, as it
 * read then (`npx tsx bench/anchoring/make-fixtures.ts`): the corpus must not change when the docs
 * do. Each is plain text as the extraction gives it (blocks on their own lines):
 * - handbook.txt — README and docs/*.md rendered roughly (headings, list items, table cells and
 *   code lines each a block): technical prose with code, tables and lists, nothing from a template;
 * - interface-fr.txt — the French interface strings: short lines, French typography (’ « » …).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const out = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

function rendered(markdown: string): string[] {
  const lines: string[] = [];
  let paragraph: string[] = [];
  let code = false;
  const flush = () => {
    if (paragraph.length) lines.push(paragraph.join(' '));
    paragraph = [];
  };
  const inline = (s: string) => s.replace(/\*\*|`/g, '').replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1');
  for (const raw of markdown.split('\n')) {
    const line = raw.trim();
    if (/^```/.test(line)) {
      flush();
      code = !code;
      continue;
    }
    if (code) {
      if (line) lines.push(line); // a code line is a block of its own (pre)
      continue;
    }
    if (!line || /^\|?\s*:?-{3}/.test(line)) {
      flush();
      continue;
    }
    if (line.startsWith('|')) {
      flush();
      for (const cell of line.split('|').map((c) => c.trim())) if (cell) lines.push(inline(cell));
    } else if (/^#+\s/.test(line) || /^([-*]|\d+\.)\s/.test(line)) {
      flush();
      paragraph.push(inline(line.replace(/^#+\s*/, '').replace(/^[-*]\s+/, '')));
      if (/^#/.test(line)) flush();
    } else paragraph.push(inline(line));
  }
  flush();
  return lines;
}

const docs = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => join('docs', f))];
writeFileSync(join(out, 'handbook.txt'), docs.flatMap((f) => rendered(readFileSync(join(root, f), 'utf8'))).join('\n') + '\n');

const fr = readFileSync(join(root, 'locales/fr.yml'), 'utf8')
  .split('\n')
  .map((l) => l.replace(/^\s*[\w.]+:\s*/, '').replace(/^"(.*)"$/, '$1').trim())
  .filter((l) => l.length > 3);
writeFileSync(join(out, 'interface-fr.txt'), fr.join('\n') + '\n');
