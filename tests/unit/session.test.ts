// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { Hub } from '../../lib/hub/hub';
import { EXTENSION_ACCESS } from '../../lib/hub/port-access';
import { PageAgent } from '../../lib/page/agent';
import { PageLink, PageServer } from '../../lib/page/link';
import { isPlaced, ReviewSession } from '../../lib/panel/session';
import { HubClient } from '../../lib/sync/hub-client';
import { portPair } from '../../lib/sync/port';
import { freshDb, selectIn } from './helpers';

async function sessionOn(html: string) {
  document.body.innerHTML = html;
  const hub = await Hub.start(freshDb());
  const client = new HubClient(async () => {
    const [mine, theirs] = portPair();
    hub.connect(theirs, EXTENSION_ACCESS);
    return mine;
  }).start();
  await client.request('set-name', { name: 'Ana' });
  // The page agent and the panel's session, on the line the extension runs between them.
  const agent = new PageAgent(document);
  const server = new PageServer(agent);
  const [panelEnd, pageEnd] = portPair('margins-page');
  server.serve(pageEnd);
  const session = new ReviewSession(client, new PageLink(panelEnd));
  await session.start();
  const watchPage = () => agent.watch(() => server.emit({ type: 'changed' }));
  const describe = (sel: Selection) => agent.describeSelection(sel)!;
  /** The text of the thread's live highlight in the page. */
  const highlighted = (id: string) => (agent as unknown as { ranges: Map<string, Range> }).ranges.get(id)?.toString();
  /** Another panel binding to this page (the side panel opened again), with its own line to the hub. */
  const anotherPanel = () => {
    const client = new HubClient(async () => {
      const [mine, theirs] = portPair();
      hub.connect(theirs, EXTENSION_ACCESS);
      return mine;
    }).start();
    const [panelEnd, pageEnd] = portPair('margins-page');
    server.serve(pageEnd);
    return new ReviewSession(client, new PageLink(panelEnd));
  };
  return Object.assign(session, { agent, server, watchPage, describe, highlighted, anotherPanel });
}

function select(text: string) {
  const p = [...document.querySelectorAll('p')].find((e) => e.textContent!.includes(text))!;
  const node = p.firstChild as Text;
  const i = node.data.indexOf(text);
  return selectIn(node, i, i + text.length);
}

describe('the panel session, with a real page agent', () => {
  it('starts a review on the first comment, then places threads in document order', async () => {
    const session = await sessionOn('<h2>1. Scope</h2><p>First passage here.</p><p>Second passage there.</p>');
    await session.addComment(session.describe(select('Second passage'))!, 'B');
    await session.addComment(session.describe(select('First passage'))!, 'A');
    await vi.waitFor(() => expect(session.current.threads).toHaveLength(2));
    expect(session.current.threads.map((t) => t.thread.comments[0].body)).toEqual(['A', 'B']);
    expect(session.current.threads[0].thread.anchor.section).toBe('1. Scope');
    expect(session.highlighted(session.current.threads[0].thread.id)).toBe('First passage');
  });

  it('starts a review of a page whose title is longer than a review title holds, and shows why when starting fails', async () => {
    document.title = `${'Proposal '.repeat(60)}😀`;
    const session = await sessionOn('<p>First passage here.</p>');
    await session.addComment(session.describe(select('First passage'))!, 'A');
    await vi.waitFor(() => expect(session.current.state?.meta?.title).toHaveLength(500));
    document.title = '';

    // An address longer than a review's holds: the hub refuses to start it, and the panel says why.
    const at = location.href;
    history.replaceState(null, '', `/${'x'.repeat(5_000)}`);
    const other = await sessionOn('<p>Second passage there.</p>');
    await expect(other.addComment(other.describe(select('Second passage'))!, 'B')).rejects.toThrow();
    expect(other.current.error?.message).toMatch(/length/i);
    history.replaceState(null, '', at);
  });

  it("opened from the dashboard's 'needs my decision', shows that thread's passage in the page and its card in the panel once placed", async () => {
    const session = await sessionOn('<p>One passage here.</p><p>Two passage there.</p>');
    await session.addComment(session.describe(select('One passage'))!, 'A');
    const wanted = await session.addComment(session.describe(select('Two passage'))!, 'B');
    await vi.waitFor(() => expect(session.current.threads).toHaveLength(2));
    const review = session.current.reviewId;
    session.stop();
    // The dashboard asks the hub to open the draft on the thread; a panel then binds to the draft.
    await (session as unknown as { client: { request(m: string, a: object): Promise<unknown> } }).client.request('focus', { review, thread: wanted });
    const shown: string[] = [];
    const show = session.agent.show.bind(session.agent);
    session.agent.show = (id) => {
      if (session.highlighted(id)) shown.push(id); // only a placed passage can be scrolled to
      show(id);
    };
    const next = session.anotherPanel();
    const revealed: string[] = [];
    next.onReveal((id) => revealed.push(id));
    await next.start();
    await vi.waitFor(() => expect(revealed).toEqual([wanted]));
    expect(next.current.focused).toBe(wanted);
    await vi.waitFor(() => expect(shown).toEqual([wanted]));
  });

  it('tells the hub of a revised draft once it has settled, not at every change of a page that keeps changing', { timeout: 20_000 }, async () => {
    const session = await sessionOn('<p>Live: <span id="clock">0</span></p><p>First passage here.</p>');
    const stop = session.watchPage();
    await session.addComment(session.describe(select('First passage'))!, 'A');
    await vi.waitFor(() => expect(session.current.threads).toHaveLength(1));
    const client = (session as unknown as { client: { request(op: string, args: object): Promise<unknown> } }).client;
    const request = client.request.bind(client);
    const told: string[] = [];
    client.request = (op, args) => {
      if (op === 'draft-seen') told.push((args as { fingerprint: string }).fingerprint);
      return request(op, args);
    };
    for (let i = 1; i <= 4; i++) {
      document.getElementById('clock')!.textContent = String(i);
      await new Promise((r) => setTimeout(r, 700)); // each change read (300 ms of quiet), the panel told
    }
    expect(told).toEqual([]); // still changing
    await vi.waitFor(() => expect(told.length).toBeGreaterThan(0), { timeout: 8_000, interval: 200 });
    expect(new Set(told).size).toBe(1); // the revision it settled on, once (twice when the hub asks for its text)

    // A revision seen just before the panel goes is told, text and all, before the line to the
    // page closes (the panel closes it once stop() resolves), not lost with it.
    const review = session.current.reviewId!;
    document.getElementById('clock')!.textContent = 'last';
    await vi.waitFor(() => expect(session.current.page?.fingerprint).not.toBe(told[0]), { timeout: 3_000 });
    const seen = session.current.page!.fingerprint;
    await session.stop();
    const latest = ((await request('export-input', { review })) as { latest?: { fingerprint: string } }).latest;
    expect(latest?.fingerprint).toBe(seen);
    stop();
  });

  it("places the hub's fold before its own copy of the review folds, and does not ask the page again when the copy agrees", async () => {
    const session = await sessionOn('<p>One passage here.</p><p>Two passage there.</p>');
    await session.addComment(session.describe(select('One passage'))!, 'A');
    await session.addComment(session.describe(select('Two passage'))!, 'B');
    await vi.waitFor(() => expect(session.current.threads).toHaveLength(2));
    session.stop();

    const next = session.anotherPanel();
    const copyOf = (s: ReviewSession) => (s as unknown as { replica: { current: { threads: unknown[] } | null } | null }).replica;
    const asked: { threads: number; copyFolded: boolean }[] = [];
    const place = session.agent.place.bind(session.agent);
    session.agent.place = (threads) => {
      asked.push({ threads: threads.length, copyFolded: !!copyOf(next)?.current });
      return place(threads);
    };
    await next.start();
    await vi.waitFor(() => expect(next.current.threads).toHaveLength(2));
    await vi.waitFor(() => expect(copyOf(next)?.current?.threads).toHaveLength(2));
    await new Promise((r) => setTimeout(r, 50)); // a second placement, if one were coming
    expect(asked).toEqual([{ threads: 2, copyFolded: false }]);
    expect(session.highlighted(next.current.threads[1].thread.id)).toBe('Two passage');
  });

  it('re-anchors when the page changes, and lists a thread whose passage is gone as an orphan', async () => {
    const session = await sessionOn('<p>Keep this sentence.</p><p>Remove this sentence soon.</p>');
    const stop = session.watchPage();
    await session.addComment(session.describe(select('Remove this sentence soon'))!, 'Gone later');
    await vi.waitFor(() => expect(session.current.threads[0] && isPlaced(session.current.threads[0])).toBe(true));
    document.body.insertAdjacentHTML('afterbegin', '<p>A new opening paragraph.</p>');
    await vi.waitFor(() => expect(session.current.threads[0].start).toBe('A new opening paragraph.\n'.length + 'Keep this sentence.\n'.length));
    [...document.querySelectorAll('p')].find((p) => p.textContent!.startsWith('Remove'))!.remove();
    await vi.waitFor(() => expect(isPlaced(session.current.threads[0])).toBe(false), { timeout: 3000 });
    stop();
  });

  it('shows the passage as it reads now only when the revision changed the passage itself', async () => {
    const session = await sessionOn('<h2>Scope</h2><p>The forum should meet twice a year in person.</p><p>Other text.</p>');
    const stop = session.watchPage();
    await session.addComment(session.describe(select('The forum should meet twice a year in person'))!, 'Why twice?');
    await vi.waitFor(() => expect(session.current.threads[0] && isPlaced(session.current.threads[0])).toBe(true));
    const t = () => session.current.threads[0];
    expect(t().thread.anchor.fingerprint).toBe(session.current.page?.fingerprint);
    expect([t().now, t().section]).toEqual([null, 'Scope']);

    // Another paragraph revised: the page's text changed, the passage did not.
    const [before, placed] = [session.current.page?.fingerprint, t()];
    document.querySelectorAll('p')[1].textContent = 'Other text, revised.';
    await vi.waitFor(() => expect([session.current.page?.fingerprint !== before, t() !== placed]).toEqual([true, true]), { timeout: 3000 });
    expect(t().now).toBeNull();

    document.querySelectorAll('p')[0].textContent = 'The forum should meet three times a year in person.';
    await vi.waitFor(() => expect(t().now).toBe('The forum should meet three times a year in person'), { timeout: 3000 });
    stop();
  });

  it('says a passage moved to another section only when both headings are still there', async () => {
    const long = 'The forum should meet twice a year in person, once in the first half of the year and once in the second, each time in a different region, so that participants from every region can attend at least one meeting without travelling far.';
    const session = await sessionOn(`<h2>Scope</h2><p>Intro.</p><p>${long}</p><p>It reports to the plenary.</p><h2>Funding</h2><p>Other text.</p>`);
    const stop = session.watchPage();
    await session.addComment(session.describe(select(long))!, 'Why twice?');
    await vi.waitFor(() => expect(session.current.threads[0] && isPlaced(session.current.threads[0])).toBe(true));
    const t = () => session.current.threads[0];
    expect(t().moved).toBeNull();

    // The paragraph moves under Funding: the same words between new neighbours, in another section.
    const [, para, , other] = document.querySelectorAll('p');
    other.after(para);
    await vi.waitFor(() => expect(t().moved).toEqual({ from: 'Scope', to: 'Funding' }), { timeout: 3000 });
    expect(t().now).toBeNull();

    // Renumbered headings are no move: the old heading is gone.
    document.querySelector('h2')!.textContent = '1. Scope';
    document.querySelectorAll('h2')[1].textContent = '2. Funding';
    await vi.waitFor(() => expect(t().section).toBe('2. Funding'), { timeout: 3000 });
    expect(t().moved).toBeNull();
    stop();
  });

  it('edits and deletes its own comments', async () => {
    const session = await sessionOn('<p>First passage here.</p>');
    await session.addComment(session.describe(select('First passage'))!, 'Draft wording');
    await vi.waitFor(() => expect(session.current.threads).toHaveLength(1));
    const id = session.current.threads[0].thread.comments[0].id;
    await session.append({ type: 'comment.add', thread: session.current.threads[0].thread.id, body: 'A reply' });
    await session.append({ type: 'comment.edit', comment: id, body: 'Better wording' });
    await vi.waitFor(() => expect(session.current.threads[0].thread.comments[0].body).toBe('Better wording'));
    await session.append({ type: 'comment.delete', comment: id });
    await vi.waitFor(() => expect(session.current.threads[0].thread.comments[0].deleted).toBe(true));
    // The reply keeps the thread in the list, with the deleted comment as a trace.
    expect(session.current.threads[0].thread.comments.map((c) => c.body)).toEqual(['', 'A reply']);
  });

  it('follows a single-page app to another route: another draft, another review, and back', async () => {
    history.replaceState(null, '', '/drafts/one');
    const session = await sessionOn('<p>Route one has this passage.</p>');
    const stop = session.watchPage();
    await session.addComment(session.describe(select('this passage'))!, 'On route one');
    await vi.waitFor(() => expect(session.current.threads[0] && isPlaced(session.current.threads[0])).toBe(true));
    const first = session.current.reviewId;

    document.body.innerHTML = '<p>Route two is another draft.</p>';
    history.pushState(null, '', '/drafts/two');
    session.agent.recheck();
    await vi.waitFor(() => expect([session.current.reviewId, session.current.threads]).toEqual([null, []]));

    document.body.innerHTML = '<p>Route one has this passage.</p>';
    history.pushState(null, '', '/drafts/one');
    session.agent.recheck();
    await vi.waitFor(() => expect(session.current.threads[0] && isPlaced(session.current.threads[0])).toBe(true));
    expect(session.highlighted(session.current.threads[0].thread.id)).toBe('this passage'); // (the fallback highlighter wrapped it meanwhile)
    expect(session.current.reviewId).toBe(first);
    stop();
  });
});

describe('the line between the panel and the page agent', () => {
  it('keeps a comment asked for before any panel for the first one, and leaves no highlight once the last panel goes', async () => {
    document.body.innerHTML = '<p>Alpha beta gamma.</p>';
    const agent = new PageAgent(document);
    const server = new PageServer(agent);
    const anchor = agent.describeSelection(select('beta'))!;
    server.comment(anchor); // "Add comment" pressed while no panel was open
    expect(server.watched).toBe(false);

    const [panelEnd, pageEnd] = portPair('margins-page');
    server.serve(pageEnd);
    const link = new PageLink(panelEnd);
    expect(await link.request('take-pending', {})).toEqual(anchor);
    expect(await link.request('take-pending', {})).toBeNull();
    const events: unknown[] = [];
    link.on((e) => events.push(e));
    server.comment(anchor);
    server.comment(null);
    await vi.waitFor(() => expect(events).toEqual([{ type: 'comment', anchor }, { type: 'select-first' }]));

    const [placed] = await link.request('place', { threads: [{ id: 't1', anchor }] });
    expect(placed).toEqual({ id: 't1', start: 'Alpha '.length, section: '', now: null, moved: null });
    expect([...document.querySelectorAll('margins-hl')].map((e) => e.textContent)).toEqual(['beta']); // (no CSS.highlights here)
    await expect(link.request('place', { threads: 'all' as never })).rejects.toThrow(/expected a list/);

    expect(document.getElementById('margins-highlight-style')).not.toBeNull();
    link.close();
    await vi.waitFor(() => expect(document.querySelectorAll('margins-hl')).toHaveLength(0));
    expect(document.body.innerHTML).toBe('<p>Alpha beta gamma.</p>');
    expect(document.getElementById('margins-highlight-style')).toBeNull();
    await expect(link.request('info', {})).rejects.toThrow(/gone/);
  });
});
