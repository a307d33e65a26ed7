// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { describeRange, extractText, matchQuote, textOffset, textRange } from '../../lib/anchoring';
import { Highlighter } from '../../lib/anchoring/highlight';

function page(html: string): Document {
  document.body.innerHTML = html;
  return document;
}

describe('text extraction', () => {
  it('collapses whitespace, separates blocks, skips what is not shown', () => {
    const doc = page(`
      <h1>  Proposal   for an
        IGF Programme</h1>
      <p>The <em>MAG</em> will<br>meet.</p>
      <script>var hidden = 1;</script><style>p{}</style>
      <div hidden>secret</div><div data-margins-ui>our sidebar</div>
      <ul><li>One</li><li> Two </li></ul>
      <table><tr><td>a</td><td>b</td></tr></table>
      <pre>  keep   this </pre>`);
    const { text, headings } = extractText(doc.body);
    expect(text).toBe('Proposal for an IGF Programme\nThe MAG will\nmeet.\nOne\nTwo\na\nb\n  keep   this');
    expect(headings).toEqual([{ start: 0, text: 'Proposal for an IGF Programme', level: 1 }]);
  });

  it('lists no heading without words (an icon, an empty element): it names no section, so a passage under it stays in the one before', () => {
    const doc = page('<h1>Intro</h1><p>The group met.</p><h2><img src="x.png"></h2><p>Members shall send their comments.</p><h2> </h2>');
    const pt = extractText(doc.body);
    expect(pt.headings).toEqual([{ start: 0, text: 'Intro', level: 1 }]);
    const start = pt.text.indexOf('Members');
    expect(describeRange(pt, textRange(pt, start, start + 'Members shall send'.length, doc)!)!.section).toBe('Intro');
  });

  it('maps a boundary on an element to the first page text at or after it, at every element boundary', () => {
    const doc = page('<h1>Title</h1><div><p>One <em>two</em> three</p><script>x</script><ul><li>Four</li><li></li><li>Five <b>six</b></li></ul><table><tr><td>a</td><td></td><td>b</td></tr></table><p hidden>no</p><p>Seven<br>eight</p></div><p></p>');
    const pt = extractText(doc.body);
    // The plain walk the bisection replaced: the first segment at or after the point.
    const walked = (node: Node, offset: number) => {
      const probe = doc.createRange();
      probe.setStart(node, offset);
      const seg = pt.segments.find((s) => probe.comparePoint(s.node, 0) >= 0 || probe.comparePoint(s.node, s.node.length) > 0);
      return seg ? seg.start : pt.text.length;
    };
    let checked = 0;
    for (const el of [doc.body, ...doc.body.querySelectorAll('*')]) {
      for (let offset = 0; offset <= el.childNodes.length; offset++) {
        expect(textOffset(pt, el, offset)).toBe(walked(el, offset));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(30);
  });

  it('maps text offsets to DOM ranges and back, across inline elements', () => {
    const doc = page('<h2>2. Scope</h2><p>The   <abbr>IGF</abbr> <strong>programme   framework</strong> is new.</p>');
    const pt = extractText(doc.body);
    const start = pt.text.indexOf('IGF programme');
    const range = textRange(pt, start, start + 'IGF programme framework'.length, doc)!;
    expect(range.toString()).toBe('IGF</abbr> <strong>programme   framework'.replace(/<[^>]+>/g, ''));
    const anchor = describeRange(pt, range)!;
    expect(anchor.quote.exact).toBe('IGF programme framework');
    expect(anchor.position).toEqual({ type: 'TextPositionSelector', start, end: start + 23 });
    expect(anchor.section).toBe('2. Scope');
    expect(anchor.quote.prefix).toBe('2. Scope\nThe ');
    expect(anchor.quote.suffix).toBe(' is new.');
  });

  it('describes a selection whose ends sit on elements, trimming edge whitespace', () => {
    const doc = page('<p>First para.</p><p>Second para.</p>');
    const pt = extractText(doc.body);
    const range = doc.createRange();
    range.setStart(doc.body, 1); // before the second <p>
    range.setEnd(doc.body.children[1].firstChild!, 6);
    expect(describeRange(pt, range)!.quote.exact).toBe('Second');
  });
});

describe('highlights', () => {
  it('wraps and unwraps text cleanly in the fallback, across elements', () => {
    const doc = page('<p id="p">Alpha <em>beta</em> gamma</p>');
    const before = doc.getElementById('p')!.innerHTML;
    const pt = extractText(doc.body);
    const start = pt.text.indexOf('pha beta gam');
    const h = new Highlighter(doc, true);
    h.render([{ id: 't1', range: textRange(pt, start, start + 12, doc)!, status: 'thread' }]);
    const marks = [...doc.querySelectorAll('margins-hl')].map((e) => e.textContent);
    expect(marks).toEqual(['pha ', 'beta', ' gam']);
    expect(extractText(doc.body).text).toBe('Alpha beta gamma');
    h.clear();
    expect(doc.getElementById('p')!.innerHTML).toBe(before);
  });

  it('keeps overlapping ranges on their text through wrapping, repainting and unwrapping', () => {
    const doc = page('<p id="p">Alpha <em>beta</em> gamma delta</p>');
    const pt = extractText(doc.body);
    const at = (s: string) => pt.text.indexOf(s);
    const a = textRange(pt, at('pha beta'), at('pha beta') + 8, doc)!;
    const b = textRange(pt, at('ta gamma'), at('ta gamma') + 8, doc)!;
    const c = textRange(pt, at('delta'), at('delta') + 5, doc)!;
    const h = new Highlighter(doc, true);
    const specs = (focus: string) => [
      { id: 'a', range: a, status: focus === 'a' ? ('focus' as const) : ('thread' as const) },
      { id: 'b', range: b, status: 'thread' as const },
      { id: 'c', range: c, status: 'thread' as const },
    ];
    for (const focus of ['none', 'a', 'none']) {
      h.render(specs(focus)); // each render unwraps the last one first
      expect([a.toString(), b.toString(), c.toString()]).toEqual(['pha beta', 'ta gamma', 'delta']);
    }
    h.clear();
    expect([a.toString(), b.toString(), c.toString()]).toEqual(['pha beta', 'ta gamma', 'delta']);
    expect(doc.getElementById('p')!.innerHTML).toBe('Alpha <em>beta</em> gamma delta');
  });
});

describe('matchQuote (exact)', () => {
  const text = 'the framework. Later, the framework again. And the framework end.';
  it('prefers the recorded position, then context', () => {
    expect(matchQuote(text, { type: 'TextQuoteSelector', exact: 'framework' }, { type: 'TextPositionSelector', start: 26, end: 35 })).toEqual({ start: 26, end: 35, score: 1 });
    const byContext = matchQuote(text, { type: 'TextQuoteSelector', exact: 'framework', prefix: 'again. And the ', suffix: ' end.' });
    expect(byContext?.start).toBe(text.lastIndexOf('framework'));
  });
  it('returns null when the quote is gone', () => {
    expect(matchQuote(text, { type: 'TextQuoteSelector', exact: 'roadmap' })).toBeNull();
  });
});
