import { describe, expect, it } from 'vitest';
import { ComposerDrafts, memoryArea } from '../../lib/panel/drafts';

const anchor = { quote: { type: 'TextQuoteSelector' as const, exact: 'the passage' } };

describe('composer drafts', () => {
  it('keeps unsent text per page and slot across a reload, with the new comment\'s anchor', async () => {
    const area = memoryArea();
    const first = await ComposerDrafts.load(area, 'https://example.org/draft');
    first.set('new', 'Half a thought', anchor);
    first.set('reply:t1', 'A reply');
    first.set('resolve:t2', 'Out of scope', undefined, 'not-accepted');
    await first.flush();
    const again = await ComposerDrafts.load(area, 'https://example.org/draft');
    expect(again.get('new')).toEqual({ text: 'Half a thought', anchor });
    expect(again.get('reply:t1')?.text).toBe('A reply');
    expect(again.get('resolve:t2')).toEqual({ text: 'Out of scope', choice: 'not-accepted' });
    expect(again.textFor('new', anchor)).toBe('Half a thought');
    // A new comment on another passage starts empty: the unsent text belongs to its own passage.
    expect(again.textFor('new', { quote: { type: 'TextQuoteSelector', exact: 'elsewhere' } })).toBeUndefined();
    const otherPage = await ComposerDrafts.load(area, 'https://example.org/other');
    expect(otherPage.get('new')).toBeUndefined();
  });

  it("keeps a new comment's unsent text on its passage while another passage is commented on", async () => {
    const area = memoryArea();
    const drafts = await ComposerDrafts.load(area, 'p');
    const other = { quote: { type: 'TextQuoteSelector' as const, exact: 'elsewhere' }, position: { type: 'TextPositionSelector' as const, start: 90, end: 99 } };
    drafts.set('new', 'A long thought on the passage', anchor);
    // Esc, then a comment begun on another passage: its first keystroke must not cost the first text.
    expect(drafts.textFor('new', other)).toBeUndefined();
    drafts.set('new', 'W', other);
    drafts.set('new', 'Wh', other);
    await drafts.flush();
    const again = await ComposerDrafts.load(area, 'p');
    expect(again.get('new')).toEqual({ text: 'Wh', anchor: other }); // the composer a reload reopens
    // The composer opens on the first passage again: its text is back, the other's parked.
    expect(again.textFor('new', anchor)).toBe('A long thought on the passage');
    again.set('new', 'A long thought on the passage, finished', anchor);
    again.remove('new'); // sent
    expect(again.textFor('new', anchor)).toBeUndefined();
    expect(again.textFor('new', other)).toBe('Wh');
  });

  it("sends a passage's parked text as it was, leaving the other passage's", async () => {
    const drafts = await ComposerDrafts.load(memoryArea(), 'p');
    const other = { quote: { type: 'TextQuoteSelector' as const, exact: 'elsewhere' } };
    drafts.set('new', 'Half a thought on A', anchor);
    drafts.set('new', 'Half a thought on B', other);
    // The composer opens on A again, and its text is sent as it is, untouched.
    expect(drafts.textFor('new', anchor)).toBe('Half a thought on A');
    drafts.remove('new');
    expect(drafts.textFor('new', anchor)).toBeUndefined();
    expect(drafts.textFor('new', other)).toBe('Half a thought on B');
  });

  it('forgets a draft once it is sent or emptied, and removes the page entry when none is left', async () => {
    const area = memoryArea();
    const drafts = await ComposerDrafts.load(area, 'p');
    drafts.set('new', 'text', anchor);
    drafts.set('edit:c1', 'changed');
    await drafts.flush();
    drafts.remove('new');
    drafts.set('edit:c1', '   ');
    await drafts.flush();
    expect(area.data).toEqual({});
  });

  it('starts empty when the stored entry is not what it should be', async () => {
    const area = memoryArea();
    area.data['drafts:p'] = { new: { text: 42 }, 'reply:x': 'nope', 'edit:y': { text: 'kept' } };
    const drafts = await ComposerDrafts.load(area, 'p');
    expect(drafts.get('new')).toBeUndefined();
    expect(drafts.get('edit:y')?.text).toBe('kept');
    const broken = { get: () => Promise.reject(new Error('disk gone')), set: async () => {}, remove: async () => {} };
    expect((await ComposerDrafts.load(broken, 'p')).get('new')).toBeUndefined();
  });
});
