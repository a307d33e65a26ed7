import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import mammoth from 'mammoth';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildResolution, exportFileName, exportReview, type ExportFormat } from '../../lib/export';
import { asText, csvLine, csvRows, CSV_COLUMNS } from '../../lib/export/csv';
import { importW3c, MAX_IMPORTED } from '../../lib/export/w3c-import';
import { fateOf } from '../../lib/export/fate';
import { isListed } from '../../lib/review/state';
import { meetingSummaryFixture, type ExportFixture } from '../support/export-fixture';
import { keyIdOf } from '../../lib/identity';
import { eventIdOf } from '../../lib/review';
import { anchor, emit, foldEnvelopes, scenario } from './helpers';

const GOLDEN = join(import.meta.dirname, '..', 'fixtures', 'export');
/** `UPDATE_GOLDEN=1 npx vitest run tests/unit/export.test.ts` rewrites the files: read the diff before committing. */
const UPDATE = process.env.UPDATE_GOLDEN === '1';

function golden(name: string, actual: string): void {
  const path = join(GOLDEN, name);
  if (UPDATE || !existsSync(path)) {
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(path, actual);
    if (!UPDATE) throw new Error(`wrote the missing golden file ${name}: check it and run again`);
  }
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

let f: ExportFixture;
beforeAll(async () => {
  f = await meetingSummaryFixture();
}, 30_000);

const text = async (format: ExportFormat) => (await exportReview(f.input, format)) as string;

describe('export of the meeting-summary review', () => {
  it.each([
    ['markdown', 'summary.md'],
    ['html', 'summary.html'],
    ['csv', 'summary.csv'],
    ['w3c', 'summary.jsonld'],
  ] as const)('%s matches its golden file, the same at every run', async (format, file) => {
    const first = await text(format);
    expect(await text(format)).toBe(first);
    golden(file, first);
  });

  it('lists sections in the draft’s order, each passage’s fate, and what is unresolved', () => {
    const r = buildResolution(f.input);
    expect(r.sections.map((s) => s.title)).toEqual([
      '1 - Intro/Logistics/Admin',
      'a) Proposal for an “IGF Programme Framework” - review updated document',
      'c) Strengthening Cooperation within the Context of the IGF: A Roadmap for 2018',
      '3 - Discussion on engaging MAG, IGF community, Intersessional activities, and NRIs in the development of a multi-year strategic work programme.',
      '4 - Next steps/future agenda items',
    ]);
    const fates = Object.fromEntries(r.sections.flatMap((s) => s.threads).map((t) => [t.quote.slice(0, 24), t.fate?.kind]));
    expect(fates).toMatchObject({
      'participants agreed to t': 'unchanged',
      'to determine the appropr': 'reworded',
      'Missions Publiques is in': 'gone',
      'a poll of the IGF commun': 'moved',
    });
    expect(r.unresolved.map((t) => t.number)).toEqual([3, 6, 9]);
    expect(r.overview).toMatchObject({ threads: 9, open: 3, resolved: 6, comments: 11, participants: 5 });
    expect(r.participants.chair.map((p) => p.name)).toEqual(['Okafor, Amara']);
    expect(r.participants.member.map((p) => `${p.name} ${p.comments}`)).toEqual(['Lindqvist, Jonas 3', 'Ortiz, Rafael 3', 'Petrov, Sofia 2', 'Tanaka, Mei 2']);
  });

  it('leaves a withdrawn thread out and keeps a deleted reply’s place without its text', async () => {
    const md = await text('markdown');
    expect(md).not.toContain('Typo?');
    expect(md).not.toContain('The wider community, I believe.');
    expect(md).toContain('*deleted by its author*');
    expect(md).toContain('late)');
  });

  it('never lets comment text become markup, links or formulas', async () => {
    const html = await text('html');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/href="javascript:/);
    const md = await text('markdown');
    expect(md).toContain('\\<script\\>');
    expect(md).toContain('\\[link\\](javascript:alert(1))');
    expect(md).toMatch(/^ {2}\\# not a heading$/m);
    const csv = await text('csv');
    expect(csv).toContain(`"'=HYPERLINK(`);
    expect(csv).toContain(`,ed,`); // the template's code for an editorial comment
    expect(csv).toContain(`'-1 Missions Publiques may be interested`); // a proposed change that reads as a formula
  });

  it('lets no comment start a formula in a spreadsheet that splits cells on semicolons or tabs, or rows at any line break', () => {
    const row = ['1', 'Agreed;=2+3;', 'x;"=HYPERLINK(""http://example.org"")"', 'a\t@SUM(1)', 'b\t\t+1', 'Points:\n- first\r\n=cmd', 'plain; text - fine'];
    for (const delimiter of [',', ';', '\t']) {
      const cells = (parse(csvLine(row), { delimiter, relax_column_count: true, relax_quotes: true }) as string[][]).flat();
      expect(cells.filter((c) => /^[=+\-@\t\r]/.test(c))).toEqual([]);
    }
    // Read as written, every cell holds its text, marked only where a cell or a line would start a formula.
    expect(parse(csvLine(row))).toEqual([row.map(asText)]);
    expect(asText('plain; text - fine')).toBe('plain; text - fine');
    expect(asText('Points:\n- first')).toBe("Points:\n'- first");
    expect(asText('\t=HYPERLINK("http://x")')).toBe('\'\t\'=HYPERLINK("http://x")');
  });

  it('lets no cell start a formula, whatever a member writes, read with any of the three separators', () => {
    const text = fc.string({ unit: fc.constantFrom(';', ',', '"', '\n', '\r', '\t', '=', '+', '-', '@', 'a', ' '), maxLength: 24 });
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 3 }), (row) => {
        const line = `x,${csvLine(row)},y`;
        expect(parse(line)).toEqual([['x', ...row.map(asText), 'y']]);
        for (const delimiter of [';', '\t']) {
          // Read as such a spreadsheet would, quotes honoured where a cell starts with one; a quote
          // left open there (the parser gives up) is read with no quotes at all, a quote opening
          // a cell then counting for nothing.
          let cells: string[];
          try {
            cells = (parse(line, { delimiter, relax_column_count: true, relax_quotes: true }) as string[][]).flat();
          } catch {
            cells = (parse(line, { delimiter, relax_column_count: true, quote: false }) as string[][]).flat().map((c) => c.replace(/^"+/, ''));
          }
          expect(cells.filter((c) => /^[=+\-@\t\r]/.test(c))).toEqual([]);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('writes a DOCX that an independent reader finds every thread, comment, decision and participant in', async () => {
    const docx = (await exportReview(f.input, 'docx')) as Uint8Array;
    const { value } = await mammoth.extractRawText({ buffer: Buffer.from(docx) });
    const r = buildResolution(f.input);
    for (const t of r.sections.flatMap((s) => s.threads)) {
      expect(value).toContain(t.quote);
      for (const c of t.comments) if (c.body) for (const line of c.body.split('\n')) expect(value).toContain(line);
      if (t.response) expect(value).toContain(t.response);
    }
    for (const d of ['Accepted', 'Accepted with changes', 'Not accepted', 'Noted', 'Duplicate', 'Deferred']) expect(value).toContain(d);
    for (const name of Object.values(f.names)) expect(value).toContain(name);
    golden('summary.docx.txt', value);
  });

  it('writes a CSV that parses back to the table, with a byte-order mark and CRLF', async () => {
    const csv = await text('csv');
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv).toContain('\r\n');
    const parsed = parse(csv.slice(1), { relax_column_count: false }) as string[][];
    const table = [[...CSV_COLUMNS], ...csvRows(buildResolution(f.input))].map((row) => row.map(asText));
    expect(parsed).toEqual(table);
    expect(parsed.length - 1).toBe(f.input.state.threads.filter(isListed).reduce((n, t) => n + t.comments.length, 0));
  });

  it('round-trips the JSON-LD through the import: every thread with its passage, text and replies', async () => {
    const doc = JSON.parse(await text('w3c'));
    const { threads, skipped } = importW3c(doc);
    const listed = f.input.state.threads.filter(isListed);
    expect(threads.map((t) => t.anchor.quote)).toEqual(buildResolution(f.input).sections.flatMap((s) => s.threads).map((t) => listed.find((l) => l.id === t.id)!.anchor.quote));
    for (const t of threads) {
      const original = listed.find((l) => l.anchor.quote.exact === t.anchor.quote.exact)!;
      const [first, ...rest] = original.comments;
      if (!first.deleted) expect(t.body).toContain(first.body);
      expect(t.replies.length).toBe(rest.filter((c) => !c.deleted).length);
      expect(t.anchor.position).toEqual(original.anchor.position);
      expect(t.category).toBe(first.category);
      expect(t.proposal).toBe(first.proposal);
    }
    expect(threads.filter((t) => t.proposal)).toHaveLength(2);
    // The decisions are listed as skipped (a member cannot import a chair's decision), and so is the deleted reply.
    expect(skipped.filter((s) => s.reason.startsWith('a decision'))).toHaveLength(6);
    expect(skipped.filter((s) => s.reason === 'no text')).toHaveLength(1);
  });

  it('keeps a carriage return from opening a block, and a title that spells a DOCX marker from being taken for one', async () => {
    const state = structuredClone(f.input.state);
    state.threads[0].comments[0].body = 'hello\r# INJECTED\r\n- list';
    state.meta!.title = 'MARGINS-OOXML-FRAGMENT-0-END';
    const input = { ...f.input, state };
    const md = (await exportReview(input, 'markdown')) as string;
    expect(md).not.toMatch(/^#+ INJECTED/m);
    expect(md).toContain('\\# INJECTED');
    const { value } = await mammoth.extractRawText({ buffer: Buffer.from((await exportReview(input, 'docx')) as Uint8Array) });
    expect(value).toContain('Resolution of comments: MARGINS-OOXML-FRAGMENT\u2011');
    expect(value).toContain('participants agreed to the meeting being recorded'); // the first table is where it belongs
  });

  it('does not call a short passage unchanged because the same word is nearby', () => {
    const text = 'Members shall attend. The chair shall report.';
    const anchor = { quote: { type: 'TextQuoteSelector' as const, exact: 'shall', prefix: 'Members ', suffix: ' attend' }, position: { type: 'TextPositionSelector' as const, start: 8, end: 13 } };
    const latest = { text: 'The chair shall report.', outline: [] };
    expect(fateOf(anchor, latest).kind).not.toBe('unchanged');
    expect(fateOf(anchor, { text, outline: [] }).kind).toBe('unchanged');
  });

  it('files a passage under an outline kept with an untitled heading as the draft reads, unchanged where it was', () => {
    // Outlines and anchors taken before headings without words were left out of the page's text.
    const text = 'Intro\nThe group met on Monday.\nMembers shall send their comments by Friday.';
    const at = (s: string) => text.indexOf(s);
    const quote = (exact: string, section?: string) => ({
      quote: { type: 'TextQuoteSelector' as const, exact, prefix: text.slice(Math.max(0, at(exact) - 32), at(exact)), suffix: text.slice(at(exact) + exact.length, at(exact) + exact.length + 32) },
      position: { type: 'TextPositionSelector' as const, start: at(exact), end: at(exact) + exact.length },
      ...(section ? { section } : {}),
    });
    const outline = [{ level: 1, title: 'Intro', start: 0 }, { level: 2, title: '', start: at('Members') - 1 }];
    expect(fateOf(quote('Members shall send'), { text, outline })).toEqual({ kind: 'unchanged' });
    expect(fateOf(quote('The group met', 'Intro'), { text, outline })).toEqual({ kind: 'unchanged' });
  });

  it('names in the JSON-LD, by key id, the author of a comment withheld because they were removed before any of their events counted', async () => {
    const { chair, member, reviewId, base } = await scenario();
    const offline = await emit(member, reviewId, { type: 'comment.add', anchor: anchor('passage'), body: 'Written offline' }, 2_000);
    const envelopes = [
      ...base,
      offline,
      await emit(chair, reviewId, { type: 'role.revoke', subject: member.identity.publicKey, upTo: [] }, 3_000),
      await emit(chair, reviewId, { type: 'comment.add', thread: await eventIdOf(offline.p), body: 'Noted' }, 4_000),
    ];
    const state = await foldEnvelopes(reviewId, envelopes);
    expect(state.threads[0].comments[0].withheld).toBe(true);
    const doc = JSON.parse((await exportReview({ state, exportedAt: 5_000 }, 'w3c')) as string);
    expect(doc.first.items.map((i: { creator: { id: string } }) => i.creator.id)).toEqual([
      `urn:margins:key:${await keyIdOf(member.identity.publicKey)}`,
      `urn:margins:key:${chair.identity.keyId}`,
    ]);
  });

  it('names files after the draft and the day', () => {
    expect(exportFileName('MAG WG-MWP meeting summary 2018-08-15', Date.parse('2018-08-31T23:00:00Z'), 'docx')).toBe('mag-wg-mwp-meeting-summary-2018-08-15-resolution-2018-08-31.docx');
    expect(exportFileName('Proposta per un «Programma» — è/ok?', 0, 'markdown')).toBe('proposta-per-un-programma-e-ok-resolution-1970-01-01.md');
    expect(exportFileName('///', 0, 'w3c')).toBe('review-resolution-1970-01-01.jsonld');
    expect(exportFileName('Проект рамочной программы', 0, 'csv')).toBe('проект-рамочной-программы-resolution-1970-01-01.csv');
  });
});

describe('import of annotations from other tools', () => {
  const annotation = (extra: Record<string, unknown>) => ({
    '@context': 'http://www.w3.org/ns/anno.jsonld',
    id: 'https://other.example/a/1',
    type: 'Annotation',
    bodyValue: 'A comment',
    creator: { type: 'Person', name: 'Zoe' },
    created: '2024-01-02T03:04:05Z',
    target: { source: 'https://example.org/d', selector: { type: 'TextQuoteSelector', exact: 'the passage', prefix: 'x'.repeat(500) } },
    ...extra,
  });

  it('reads a single annotation, a list, and a page; keeps who wrote it and when', () => {
    for (const doc of [annotation({}), [annotation({})], { type: 'AnnotationPage', items: [annotation({})] }]) {
      const { threads } = importW3c(doc);
      expect(threads).toHaveLength(1);
      expect(threads[0].body).toBe('[Zoe, 2024-01-02] A comment');
      expect(threads[0].anchor.quote.prefix).toHaveLength(64);
    }
  });

  it('keeps the context next to the quote, and puts replies to replies in the thread', () => {
    const first = annotation({ target: { source: 'x', selector: { type: 'TextQuoteSelector', exact: 'the passage', prefix: `${'a'.repeat(100)}NEAR`, suffix: `NEXT${'b'.repeat(100)}` } } });
    const reply = annotation({ id: 'r1', motivation: 'replying', target: 'https://other.example/a/1', bodyValue: 'first reply' });
    const replyToReply = annotation({ id: 'r2', motivation: 'replying', target: 'r1', bodyValue: 'second reply' });
    const { threads, skipped } = importW3c([replyToReply, first, reply]);
    expect(threads[0].anchor.quote.prefix!.endsWith('NEAR')).toBe(true);
    expect(threads[0].anchor.quote.suffix!.startsWith('NEXT')).toBe(true);
    expect(threads[0].replies).toEqual(['[Zoe, 2024-01-02] first reply', '[Zoe, 2024-01-02] second reply']);
    expect(skipped).toEqual([]);
  });

  it('leaves out, with a reason, a comment within the length limit that its signed event could not hold', () => {
    const control = '\u0001'.repeat(19_000);
    const { threads, skipped } = importW3c([
      annotation({ id: 'long', bodyValue: `${control}x` }),
      annotation({ id: 'fine', bodyValue: 'A fine comment' }),
      annotation({ id: 'r', motivation: 'replying', target: 'fine', bodyValue: `${control}y` }),
    ]);
    expect(threads.map((t) => t.source)).toEqual(['fine']);
    expect(skipped).toEqual([
      { id: 'long', reason: 'too long once written (control characters count six each)' },
      { id: 'r', reason: 'too long once written (control characters count six each)' },
    ]);
  });

  it('lists what it cannot use, with a reason, and refuses what is not annotations', () => {
    const { threads, skipped } = importW3c([
      annotation({ target: 'https://example.org/d' }),
      annotation({ id: 'b', bodyValue: undefined, body: 'https://elsewhere.example/body' }),
      annotation({ id: 'c', motivation: 'replying', target: 'nowhere' }),
      annotation({ id: 'd', bodyValue: 'x'.repeat(30_000) }),
      { id: 'e', type: 'Person' },
      42,
    ]);
    expect(threads).toHaveLength(0);
    expect(skipped.map((s) => s.reason)).toEqual([
      'no quoted passage (TextQuoteSelector)',
      'no text',
      'text empty or too long',
      'not an annotation',
      'not an annotation',
      'a reply to an annotation not in this file',
    ]);
    expect(() => importW3c({ hello: 'world' })).toThrow(/not Web Annotation/);
    expect(() => importW3c('text')).toThrow(/not Web Annotation/);
    expect(() => importW3c({ type: 'AnnotationCollection', first: 'https://x/page1' })).toThrow(/elsewhere/);
    expect(() => importW3c(Array.from({ length: MAX_IMPORTED + 1 }, () => annotation({})))).toThrow(/at most/);
  });
});
