/**
 * splitUpdate (lib/sync/split-update.ts): pieces of a Yjs update, applied in order to the doc the
 * update was made for, give what the whole update gives; each piece stays near the bound.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { splitUpdate } from '../../lib/sync/split-update';

type Op =
  | { kind: 'push'; who: number; items: string[] }
  | { kind: 'delete'; who: number; at: number; n: number }
  | { kind: 'map'; who: number; key: string; value: string }
  | { kind: 'text'; who: number; at: number; text: string }
  | { kind: 'nested'; who: number; key: string }
  | { kind: 'sync'; from: number; to: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('push' as const), who: fc.nat(2), items: fc.array(fc.string({ maxLength: 40 }), { minLength: 1, maxLength: 30 }) }),
  fc.record({ kind: fc.constant('delete' as const), who: fc.nat(2), at: fc.nat(200), n: fc.integer({ min: 1, max: 5 }) }),
  fc.record({ kind: fc.constant('map' as const), who: fc.nat(2), key: fc.constantFrom('a', 'b', 'c'), value: fc.string({ maxLength: 20 }) }),
  fc.record({ kind: fc.constant('text' as const), who: fc.nat(2), at: fc.nat(200), text: fc.string({ minLength: 1, maxLength: 50 }) }),
  fc.record({ kind: fc.constant('nested' as const), who: fc.nat(2), key: fc.constantFrom('x', 'y') }),
  fc.record({ kind: fc.constant('sync' as const), from: fc.nat(2), to: fc.nat(2) }),
);

function play(ops: Op[]): Y.Doc[] {
  const docs = [0, 1, 2].map((i) => {
    const d = new Y.Doc();
    d.clientID = 1000 + i;
    return d;
  });
  for (const o of ops) {
    if (o.kind === 'sync') {
      Y.applyUpdate(docs[o.to], Y.encodeStateAsUpdate(docs[o.from], Y.encodeStateVector(docs[o.to])));
      continue;
    }
    const d = docs[o.who];
    if (o.kind === 'push') d.getArray<string>('events').push(o.items);
    if (o.kind === 'delete') {
      const a = d.getArray('events');
      if (a.length) a.delete(o.at % a.length, Math.min(o.n, a.length - (o.at % a.length)));
    }
    if (o.kind === 'map') d.getMap('meta').set(o.key, o.value);
    if (o.kind === 'text') {
      const t = d.getText('note');
      t.insert(o.at % (t.length + 1), o.text);
    }
    if (o.kind === 'nested') {
      const m = new Y.Map<string>();
      d.getMap('meta').set(o.key, m);
      m.set('inner', o.key);
    }
  }
  return docs;
}

const contents = (d: Y.Doc) => ({ events: d.getArray('events').toJSON(), meta: d.getMap('meta').toJSON(), note: d.getText('note').toString() });

describe('splitUpdate', () => {
  it('gives, piece by piece and in order, what the whole update gives', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), fc.array(op, { maxLength: 40 }), fc.integer({ min: 16, max: 600 }), (before, after, maxBytes) => {
        const [source] = play([...before, ...after, { kind: 'sync', from: 1, to: 0 }, { kind: 'sync', from: 2, to: 0 }]);
        // The receiver has what `before` gave the first doc, then wants the rest.
        const [receiver] = play(before);
        const update = Y.encodeStateAsUpdate(source, Y.encodeStateVector(receiver));
        const whole = new Y.Doc();
        Y.applyUpdate(whole, Y.encodeStateAsUpdate(receiver));
        Y.applyUpdate(whole, update);
        const pieces = splitUpdate(update, maxBytes);
        for (const piece of pieces) Y.applyUpdate(receiver, piece);
        expect(contents(receiver)).toEqual(contents(whole));
        expect(contents(receiver)).toEqual(contents(source));
        expect(Y.encodeStateVector(receiver)).toEqual(Y.encodeStateVector(source));
        // Pending structs would mean a piece referred to something never sent.
        expect(receiver.store.pendingStructs).toBeNull();
      }),
      { numRuns: 300 },
    );
  });

  it('never cuts a character of text in two', () => {
    const doc = new Y.Doc();
    const text = doc.getText('note');
    text.insert(0, 'a😀'.repeat(2_000)); // one item, pairs at odd and even offsets
    const copy = new Y.Doc();
    for (const piece of splitUpdate(Y.encodeStateAsUpdate(doc), 1_000)) Y.applyUpdate(copy, piece);
    expect(copy.getText('note').toString()).toBe(text.toString());
  });

  it('keeps pieces near the bound, cutting one long run of events, and leaves a small update whole', () => {
    const doc = new Y.Doc();
    const events = doc.getArray<{ p: string; s: string }>('events');
    for (let i = 0; i < 2_000; i++) events.push([{ p: `event ${i} `.padEnd(300, 'x'), s: 'sig'.repeat(20) }]);
    const update = Y.encodeStateAsUpdate(doc);
    // Pushed one by one, the events merge into a single Yjs item: it must be cut.
    expect((Y.decodeUpdate(update) as { structs: unknown[] }).structs.length).toBe(1);
    const pieces = splitUpdate(update, 64 * 1024);
    expect(pieces.length).toBeGreaterThanOrEqual(Math.floor(update.length / (64 * 1024)));
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(64 * 1024 + 1024);
    const copy = new Y.Doc();
    for (const piece of pieces) Y.applyUpdate(copy, piece);
    expect(copy.getArray('events').length).toBe(2_000);
    expect(copy.getArray('events').get(1_999)).toEqual(events.get(1_999));

    const small = Y.encodeStateAsUpdate(doc, Y.encodeStateVectorFromUpdate(update));
    expect(splitUpdate(small, 64 * 1024)).toEqual([small]);
  });
});
