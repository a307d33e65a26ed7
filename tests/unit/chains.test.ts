/**
 * One signature per author's chain (lib/review/chains.ts, and the replica that uses it): the few
 * signatures asked for, what a forged or foreign successor does not vouch for, and a copy of an
 * author's text under another signature, refuted once its own signature is checked.
 */
import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { authenticate, type ChainLink } from '../../lib/review/chains';
import { eventLog, ReviewReplica, signEvent, type Envelope } from '../../lib/review';
import { anchor, emit, idOf, scenario } from './helpers';

/** A chain of `n` links by `by`, each naming the one before. */
function chain(by: string, n: number): ChainLink[] {
  const links: ChainLink[] = [];
  for (let i = 0; i < n; i++) links.push({ id: `${by}-${i}`, by, prev: i ? `${by}-${i - 1}` : null });
  return links;
}

describe('authenticate', () => {
  it('asks for one signature per chain and takes the rest on it', async () => {
    const links = [...chain('ana', 50), ...chain('bo', 30)].reverse();
    const asked: number[][] = [];
    const verdicts = await authenticate(links, () => false, async (indices) => {
      asked.push(indices);
      return indices.map(() => true);
    });
    expect(asked.flat().map((i) => links[i].id).sort()).toEqual(['ana-49', 'bo-29']);
    expect(verdicts.filter((v) => v === 'signed')).toHaveLength(2);
    expect(verdicts.filter((v) => v === 'chained')).toHaveLength(78);
  });

  it('takes nothing on a successor whose signature fails, nor on another author’s event', async () => {
    const links = [...chain('ana', 3), { id: 'forged', by: 'ana', prev: 'ana-2' }, { id: 'bo-0', by: 'bo', prev: 'ana-1' }];
    const bad = new Set(['forged', 'ana-2']);
    const verdicts = await authenticate(links, () => false, async (indices) => indices.map((i) => !bad.has(links[i].id)));
    const of = (id: string) => verdicts[links.findIndex((l) => l.id === id)];
    expect(of('forged')).toBe('bad');
    // ana-2 is named only by the forged link: checked on its own, and its own signature fails.
    expect(of('ana-2')).toBe('bad');
    // bo names ana-1, but bo cannot vouch for ana: ana-1 and ana-0 are checked on their own.
    expect(of('bo-0')).toBe('signed');
    expect(of('ana-1')).toBe('signed');
    expect(of('ana-0')).toBe('chained');
  });

  it('takes an event named by an authentic event seen earlier', async () => {
    const links = chain('ana', 3);
    const verify = vi.fn(async (indices: number[]) => indices.map(() => true));
    const verdicts = await authenticate(links, (by, id) => by === 'ana' && id === 'ana-2', verify);
    expect(verdicts).toEqual(['chained', 'chained', 'chained']);
    expect(verify).not.toHaveBeenCalled();
  });
});

describe('a replica on chains', () => {
  it('folds what full verification folds, and refutes a copy of an author’s text under another signature', async () => {
    const s = await scenario();
    const envelopes: Envelope[] = [...s.base];
    let prev: string | null = null;
    for (let i = 0; i < 20; i++) {
      const env = await emit(s.chair, s.reviewId, { type: 'comment.add', anchor: anchor(`p${i}`), body: `Comment ${i}` }, 3000 + i, prev ?? undefined);
      prev = await idOf(env);
      envelopes.push(env);
    }
    // Someone copies the chair's fifth comment under a signature of their making.
    const original = envelopes[s.base.length + 4];
    const copy = { p: original.p, s: `${original.s.slice(0, -6)}AAAAAA` };
    const doc = new Y.Doc();
    eventLog(doc).push([...envelopes, copy]);
    const verified: [string, boolean | undefined][] = [];
    const refuted: string[] = [];
    const replica = new ReviewReplica(doc, s.reviewId, { onVerified: (e, _id, unsigned) => verified.push([e.s, unsigned]), onRefuted: (e) => refuted.push(e.s) });
    const state = await replica.state();
    expect(state.threads.map((t) => t.comments[0].body)).toEqual(Array.from({ length: 20 }, (_, i) => `Comment ${i}`));
    expect(state.rejected).toEqual([]);
    await vi.waitFor(() => expect(refuted).toEqual([copy.s]));
    // Every genuine envelope ends verified under its own signature; the copy never does.
    for (const env of envelopes) expect(verified.filter(([sig, unsigned]) => sig === env.s && !unsigned)).not.toHaveLength(0);
    expect(verified.filter(([sig, unsigned]) => sig === copy.s && !unsigned)).toHaveLength(0);
    // Then the fold says of the copy what full verification says: set aside, the comment unchanged.
    const after = await replica.settled();
    expect(after.rejected.map((r) => r.reason)).toEqual(['signature does not verify']);
    expect(after.threads).toHaveLength(20);
  });

  it('refuses a forged successor and checks what it named on its own', async () => {
    const s = await scenario();
    const first = await emit(s.chair, s.reviewId, { type: 'comment.add', anchor: anchor('a'), body: 'Real' }, 3000);
    const forgedBody = await signEvent(s.chair.identity, s.reviewId, { type: 'comment.add', anchor: anchor('b'), body: 'Forged' }, { t: 3001, c: 0 }, 3001, await idOf(first));
    const forged = { p: forgedBody.p, s: `${forgedBody.s.slice(0, -6)}AAAAAA` };
    const doc = new Y.Doc();
    eventLog(doc).push([...s.base, first, forged]);
    const state = await new ReviewReplica(doc, s.reviewId).state();
    expect(state.threads.map((t) => t.comments[0].body)).toEqual(['Real']);
    expect(state.rejected.map((r) => r.reason)).toEqual(['signature does not verify']);
  });
});
