/**
 * One signature per author's chain (lib/review/chains.ts, and the replica that uses it): the few
 * signatures asked for, what a forged or foreign successor does not vouch for, and a copy of an
 * author's text under another signature, refuted once its own signature is checked.
 */
import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { authenticate, type ChainLink } from '../../lib/review/chains';
import { eventLog, ReviewReplica, signEvent, type Envelope } from '../../lib/review';
import { anchor, emit, foldEnvelopes, idOf, scenario } from './helpers';

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
    expect(of('ana-0')).toBe('signed');
  });

  it('costs a forged chain one batch of checks, not one round per link', async () => {
    const links = chain('ana', 4_000);
    const rounds: number[] = [];
    const verdicts = await authenticate(links, () => false, async (indices) => {
      rounds.push(indices.length);
      return indices.map(() => false);
    });
    expect(rounds).toEqual([1, 3_999]);
    expect(verdicts.every((v) => v === 'bad')).toBe(true);
  });

  it('takes no copy of a text on the chain: each is checked on its own signature', async () => {
    const links = [...chain('ana', 3), { id: 'ana-1', by: 'ana', prev: 'ana-0' }];
    const checked: string[] = [];
    const verdicts = await authenticate(
      links,
      (by, id) => id === 'ana-0',
      async (indices) => {
        checked.push(...indices.map(String));
        return indices.map((i) => i !== 3); // the second copy of ana-1 carries a bad signature
      },
      (i) => i === 0, // ana-0's text is already held under another envelope
    );
    expect(verdicts).toEqual(['signed', 'signed', 'signed', 'bad']);
    expect(checked.sort()).toEqual(['0', '1', '2', '3']);
  });

  it('takes an event named by an authentic event seen earlier', async () => {
    const links = chain('ana', 3);
    const verify = vi.fn(async (indices: number[]) => indices.map(() => true));
    const verdicts = await authenticate(links, (by, id) => by === 'ana' && id === 'ana-2', verify);
    expect(verdicts).toEqual(['chained', 'chained', 'chained']);
    expect(verify).not.toHaveBeenCalled();
  });
});

/** A review and twenty comments by its chair, each naming the one before. */
async function chairsChain() {
  const s = await scenario();
  const envelopes: Envelope[] = [...s.base];
  for (let i = 0; i < 20; i++) envelopes.push(await emit(s.chair, s.reviewId, { type: 'comment.add', anchor: anchor(`p${i}`), body: `Comment ${i}` }, 3000 + i));
  return { s, envelopes };
}

describe('a replica on chains', () => {
  it('checks a second copy of a text on its own signature, and sets it aside at once', async () => {
    const { s, envelopes } = await chairsChain();
    const original = envelopes[s.base.length + 4];
    const copy = { p: original.p, s: `${original.s.slice(0, -6)}AAAAAA` };
    const doc = new Y.Doc();
    eventLog(doc).push([...envelopes, copy]);
    const verified: [string, boolean | undefined][] = [];
    const state = await new ReviewReplica(doc, s.reviewId, { onVerified: (e, _id, unsigned) => verified.push([e.s, unsigned]) }).state();
    expect(state.threads.map((t) => t.comments[0].body)).toEqual(Array.from({ length: 20 }, (_, i) => `Comment ${i}`));
    expect(state.rejected.map((r) => r.reason)).toEqual(['signature does not verify']);
    expect(verified.some(([sig]) => sig === copy.s)).toBe(false);
  });

  it('refutes a lone copy taken on the chain once its own signature is checked, ending where full verification does', async () => {
    const { s, envelopes } = await chairsChain();
    // The chair's fifth comment reaches this replica only as a copy under a signature of someone's making.
    const at = s.base.length + 4;
    const copy = { p: envelopes[at].p, s: `${envelopes[at].s.slice(0, -6)}AAAAAA` };
    const log = [...envelopes.slice(0, at), copy, ...envelopes.slice(at + 1)];
    const doc = new Y.Doc();
    eventLog(doc).push(log);
    const refuted: string[] = [];
    const kept: [string, boolean | undefined][] = [];
    const replica = new ReviewReplica(doc, s.reviewId, { onVerified: (e, _id, unsigned) => kept.push([e.s, unsigned]), onRefuted: (e) => refuted.push(e.s) });
    // Its text is the chair's (the sixth comment names its hash): taken at first, marked unsigned.
    expect((await replica.state()).threads).toHaveLength(20);
    expect(kept.find(([sig]) => sig === copy.s)).toEqual([copy.s, true]);
    await vi.waitFor(() => expect(refuted).toEqual([copy.s]));
    const full = await foldEnvelopes(s.reviewId, log);
    await vi.waitFor(async () => expect((await replica.settled()).rejected).toEqual(full.rejected));
    expect((await replica.settled()).threads.map((t) => t.id)).toEqual(full.threads.map((t) => t.id));
    expect(kept.filter(([sig, unsigned]) => sig === copy.s && !unsigned)).toHaveLength(0);
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

  it('checks in full an envelope whose voucher the hub takes back while the replica is deciding it', async () => {
    const s = await scenario();
    const env = await emit(s.member, s.reviewId, { type: 'comment.add', anchor: anchor('x'), body: 'Hi' }, 2000);
    const copy = { p: env.p, s: `${env.s.slice(0, -6)}AAAAAA` };
    let vouched = true;
    let refute: ((s: string, p: string) => void) | undefined;
    const doc = new Y.Doc();
    const replica = new ReviewReplica(doc, s.reviewId, {
      vouched: (sig, p) => {
        if (sig !== copy.s || p !== copy.p || !vouched) return undefined;
        // The hub refutes it just after the replica asked, before the replica has decided it.
        queueMicrotask(() => {
          vouched = false;
          refute?.(copy.s, copy.p);
        });
        return idOf(copy);
      },
      refutations: (listener) => {
        refute = listener;
        return () => {};
      },
    });
    eventLog(doc).push([...s.base, copy]);
    const state = await replica.state();
    expect(state.rejected.map((r) => r.reason)).toEqual(['signature does not verify']);
    expect(state.threads).toHaveLength(0);
  });
});
