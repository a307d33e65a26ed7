// @vitest-environment happy-dom
/**
 * The page agent follows the page as it changes: a selection is described, and passages placed,
 * on the text as it reads now, however often the page changes; text shown by removing `hidden`, a
 * <body> swapped whole, or the same words redrawn by a script are all noticed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { PageAgent } from '../../lib/page/agent';
import { selectIn as select } from './helpers';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
const stops: (() => void)[] = [];
afterEach(() => {
  stops.splice(0).forEach((s) => s());
});

function watched(html: string) {
  document.body.innerHTML = html;
  const agent = new PageAgent(document);
  let changed = 0;
  stops.push(agent.watch(() => changed++));
  return { agent, changes: () => changed };
}

describe('the page agent, as the page changes', () => {
  it('describes a selection on the text as it reads now, right after a change and on a page that never stops changing', async () => {
    const { agent } = watched('<p>Live: <span id="clock">0</span></p><p id="a">The budget is 10 million.</p><p id="b">Closing words.</p>');
    const a = document.getElementById('a')!.firstChild as Text;
    a.data = 'Our total spend stays 25 million.';
    expect(agent.describeSelection(select(a, 4, 15))!.quote.exact).toBe('total spend'); // within the debounce
    let n = 0;
    const tick = setInterval(() => (document.getElementById('clock')!.firstChild!.textContent = String(++n)), 100);
    try {
      document.getElementById('b')!.insertAdjacentHTML('afterend', '<p id="c">A paragraph added later.</p>');
      await wait(2_500);
      // Read again within a bounded time, though the clock never let the debounce run out.
      expect(agent.text()).toContain('A paragraph added later.');
    } finally {
      clearInterval(tick);
    }
  });

  it('places passages on the text as it reads now, even before the debounce runs out', async () => {
    const passage = 'the passage we comment on, long enough to stand alone';
    const { agent } = watched(`<p id="a">An opening paragraph of some length.</p><p id="b">This second paragraph has plenty of words before ${passage}.</p>`);
    const b = document.getElementById('b')!.firstChild as Text;
    const at = b.data.indexOf(passage);
    const anchor = agent.describeSelection(select(b, at, at + passage.length))!;
    await agent.place([{ id: 't1', anchor }]);
    (document.getElementById('a')!.firstChild as Text).data = 'Short.';
    const [placed] = await agent.place([{ id: 't1', anchor }]);
    expect(placed.start).toBe(agent.text().indexOf(passage));
    expect((agent as unknown as { ranges: Map<string, Range> }).ranges.get('t1')!.toString()).toBe(passage);
  });

  it('keeps a change of the page that arrives while highlights are painted, and announces it', async () => {
    const passage = 'the passage we comment on, long enough to stand alone';
    const { agent, changes } = watched(`<p id="a">An opening paragraph of some length.</p><p id="b">This second paragraph has plenty of words before ${passage}.</p>`);
    const b = document.getElementById('b')!.firstChild as Text;
    const at = b.data.indexOf(passage);
    const anchor = agent.describeSelection(select(b, at, at + passage.length))!;
    await agent.place([{ id: 't1', anchor }]);
    (document.getElementById('a')!.firstChild as Text).data = 'Short.';
    agent.focus('t1'); // the reader picks the thread: the highlights are painted again meanwhile
    await wait(600);
    expect(changes()).toBe(1);
    const [placed] = await agent.place([{ id: 't1', anchor }]);
    expect(placed.start).toBe(agent.text().indexOf(passage));
    expect((agent as unknown as { ranges: Map<string, Range> }).ranges.get('t1')!.toString()).toBe(passage);
  });

  it('places and describes again after the last panel went and another came', async () => {
    const { agent } = watched('<p id="p">Alpha beta gamma delta epsilon.</p><p>Second paragraph.</p>');
    const p = document.getElementById('p')!;
    const anchor = agent.describeSelection(select(p.firstChild!, 6, 16))!; // "beta gamma"
    await agent.place([{ id: 't1', anchor }]);
    agent.clear(); // the highlights' nodes are unwrapped and merged back
    await wait(600);
    const [placed] = await agent.place([{ id: 't1', anchor }]);
    expect(placed.start).toBe(6);
    expect((agent as unknown as { ranges: Map<string, Range> }).ranges.get('t1')!.toString()).toBe('beta gamma');
    const last = [...p.childNodes].at(-1) as Text; // "… delta epsilon." after the highlight
    const i = last.data.indexOf('delta');
    expect(agent.describeSelection(select(last, i, i + 5))!.quote.exact).toBe('delta');
  });

  it('keeps highlights when the page redraws the same words and highlights are painted before it settles', async () => {
    const { agent } = watched('<p id="a">Alpha beta gamma delta.</p><p id="b">Second paragraph of the draft.</p>');
    const b = document.getElementById('b')!;
    const anchor = agent.describeSelection(select(b.firstChild!, 0, 16))!; // "Second paragraph"
    await agent.place([{ id: 't1', anchor }]);
    b.innerHTML = 'Second paragraph of the draft.';
    await wait(0);
    agent.focus('t1'); // painted on the old nodes, before the redraw is read
    await wait(600);
    expect(document.querySelectorAll('margins-hl')).toHaveLength(1);
    expect((agent as unknown as { ranges: Map<string, Range> }).ranges.get('t1')!.startContainer.isConnected).toBe(true);
  });

  it('announces an edit the page makes inside a highlighted passage', async () => {
    const { agent, changes } = watched('<p id="p">Alpha beta gamma delta epsilon.</p><p>Second paragraph.</p>');
    const anchor = agent.describeSelection(select(document.getElementById('p')!.firstChild!, 6, 16))!;
    await agent.place([{ id: 't1', anchor }]);
    (document.querySelector('margins-hl')!.firstChild as Text).data = 'beta gamma, revised,';
    await wait(600);
    expect(changes()).toBe(1);
    expect(agent.text()).toContain('beta gamma, revised,');
  });

  it('places again when the same nodes hold the text split differently', async () => {
    // The Custom Highlight API, as Chrome and Firefox have it (happy-dom has not): no node wrapped.
    const w = window as unknown as { Highlight?: unknown };
    Object.defineProperty(window, 'CSS', { value: { highlights: new Map() }, configurable: true });
    w.Highlight = class {
      constructor(...ranges: Range[]) {
        Object.assign(this, { ranges });
      }
    };
    try {
      const { agent } = watched('<p><span id="x">Alpha beta </span><span id="y">gamma delta and more words.</span></p>');
      expect(document.querySelectorAll('margins-hl')).toHaveLength(0);
      const x = document.getElementById('x')!.firstChild as Text;
      const y = document.getElementById('y')!.firstChild as Text;
      const anchor = agent.describeSelection(select(x, 6, 10))!; // "beta"
      await agent.place([{ id: 't1', anchor }]);
      expect(document.querySelectorAll('margins-hl')).toHaveLength(0); // the API path indeed
      x.data = 'Alpha ';
      y.data = 'beta gamma delta and more words.';
      await wait(600);
      const range = (agent as unknown as { ranges: Map<string, Range> }).ranges.get('t1')!;
      expect(range.toString()).toBe('beta');
      expect(document.getElementById('y')!.contains(range.startContainer)).toBe(true); // where it is now
    } finally {
      delete (window as unknown as { CSS?: unknown }).CSS;
      delete w.Highlight;
    }
  });

  it('notices text shown by removing `hidden`', async () => {
    const { agent, changes } = watched('<p>Intro of the draft.</p><div id="more" hidden><p>Details revealed later on.</p></div>');
    document.getElementById('more')!.removeAttribute('hidden');
    await wait(600);
    expect(changes()).toBe(1);
    expect(agent.text()).toContain('Details revealed later on.');
  });

  it('follows a <body> swapped whole, as Turbo and pjax pages do', async () => {
    const { agent, changes } = watched('<p>First page of the draft.</p>');
    const next = document.createElement('body');
    next.innerHTML = '<p>Second page, loading…</p>';
    document.documentElement.replaceChild(next, document.body);
    await wait(600);
    expect(changes()).toBe(1);
    next.querySelector('p')!.textContent = 'Second page of the draft, with its words.';
    await wait(600);
    expect(changes()).toBe(2);
    expect(agent.text()).toBe('Second page of the draft, with its words.');
  });

  it('keeps highlights on the live nodes when a script redraws the same words in other elements', async () => {
    const { agent, changes } = watched('<p id="p">Alpha beta gamma delta.</p><p>Second paragraph.</p>');
    const p = document.getElementById('p')!;
    const anchor = agent.describeSelection(select(p.firstChild!, 0, 16))!;
    await agent.place([{ id: 't1', anchor }]);
    p.innerHTML = 'Alpha <abbr>beta</abbr> gamma delta.';
    await wait(600);
    expect(changes()).toBe(0); // the same text: nothing for the panel to place again
    const range = (agent as unknown as { ranges: Map<string, Range> }).ranges.get('t1')!;
    expect(range.startContainer.isConnected).toBe(true);
    expect(range.toString()).toBe('Alpha beta gamma');
  });
});
