/**
 * Writes the conformance vectors in docs/conformance/: sets of envelopes and the state the fold
 * makes of them (docs/data-model.md, "Conformance vectors"). Run it after a deliberate change to
 * the format or the fold (`npm run conformance`), and read the diff: every changed vector is a
 * changed rule that another implementation must follow too.
 */
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Identity } from '../lib/identity';
import { eventIdOf, signEvent, type Envelope, type EventBody } from '../lib/review';
import { conformanceState, type ConformanceVector } from '../tests/unit/helpers';
import { fixedIdentity } from '../tests/support/fixed-keys';

const OUT = join(import.meta.dirname, '..', 'docs', 'conformance');

interface Actor {
  identity: Identity;
  clock: { t: number; c: number } | undefined;
  head: string | null;
}

async function person(index: number): Promise<Actor> {
  return { identity: await fixedIdentity(index), clock: undefined, head: null };
}

/** One review, its chair and two members, and the events every vector starts from. */
async function world() {
  const chair = await person(0);
  const alice = await person(1);
  const bob = await person(2);
  const outsider = await person(3);
  const review = `${chair.identity.keyId}.conformance-review`;
  /** Signs as `a` at wall time t, extending a's chain unless `prev` is given. */
  const ev = async (a: Actor, body: EventBody, t: number, prev?: string | null): Promise<Envelope> => {
    const env = await signEvent(a.identity, review, body, a.clock, t, prev === undefined ? a.head : prev);
    a.clock = JSON.parse(env.p).hlc;
    a.head = await eventIdOf(env.p);
    return env;
  };
  const anchor = (exact: string) => ({ quote: { type: 'TextQuoteSelector' as const, exact, prefix: 'the ', suffix: ' of' }, position: { type: 'TextPositionSelector' as const, start: 10, end: 10 + exact.length }, section: '2. Scope' });
  const create = await ev(chair, { type: 'review.create', title: 'Proposal for an IGF Programme Framework', url: 'https://example.org/draft', canonical: 'https://example.org/draft' }, 1_000);
  const base = [
    create,
    await ev(chair, { type: 'profile.set', name: 'Chair' }, 1_001),
    await ev(chair, { type: 'role.grant', subject: alice.identity.publicKey, role: 'member', name: 'Alice' }, 1_002),
    await ev(chair, { type: 'role.grant', subject: bob.identity.publicKey, role: 'member', name: 'Bob' }, 1_003),
  ];
  const id = (env: Envelope) => eventIdOf(env.p);
  const raw = (a: Actor, payload: Record<string, unknown>) => rawEnvelope(a.identity, JSON.stringify(payload));
  const payload = (a: Actor, e: unknown, t: number, extra: Record<string, unknown> = {}) => ({ v: 2, review, by: a.identity.publicKey, hlc: { t, c: 0 }, prev: null, e, ...extra });
  return { chair, alice, bob, outsider, review, ev, anchor, base, id, raw, payload };
}

async function rawEnvelope(identity: Identity, p: string): Promise<Envelope> {
  const { sign } = await import('../lib/identity');
  return { p, s: await sign(identity, p) };
}

type World = Awaited<ReturnType<typeof world>>;
type Case = [name: string, description: string, build: (w: World) => Promise<unknown[] | { envelopes: unknown[]; now: number }>];

const cases: Case[] = [
  // Envelopes and payloads
  ['envelope-not-object', 'Entries that are not objects are set aside as "not an event envelope".', async (w) => [...w.base, 42, 'text', null, []]],
  ['envelope-extra-field', 'An envelope has exactly the fields p and s.', async (w) => [...w.base, { ...(await w.ev(w.alice, { type: 'profile.set', name: 'A' }, 2_000)), x: 1 }]],
  ['envelope-missing-signature', 'An envelope without s is not an envelope.', async (w) => [...w.base, { p: (await w.ev(w.alice, { type: 'profile.set', name: 'A' }, 2_000)).p }]],
  ['payload-not-json', 'p must be JSON.', async (w) => [...w.base, await rawEnvelope(w.alice.identity, '{"v":2,')]],
  ['payload-too-long', 'p is at most 64,000 characters.', async (w) => [...w.base, await w.raw(w.alice, w.payload(w.alice, { type: 'comment.add', anchor: w.anchor('x'), body: 'x'.repeat(64_000) }, 2_000))]],
  ['payload-version-1', 'Only version 2 payloads are events.', async (w) => [...w.base, await w.raw(w.alice, { ...w.payload(w.alice, { type: 'profile.set', name: 'A' }, 2_000), v: 1 })]],
  ['payload-with-id', 'A payload carries no id of its own: the id is the hash of the payload text.', async (w) => [...w.base, await w.raw(w.alice, w.payload(w.alice, { type: 'profile.set', name: 'A' }, 2_000, { id: 'create-x' }))]],
  ['payload-other-review', 'An event signed for another review is set aside.', async (w) => [...w.base, await w.raw(w.alice, { ...w.payload(w.alice, { type: 'profile.set', name: 'A' }, 2_000), review: `${w.chair.identity.keyId}.otherReview1` })]],
  ['signature-bad', 'A payload changed after signing does not verify.', async (w) => {
    const env = await w.ev(w.alice, { type: 'profile.set', name: 'Alice' }, 2_000);
    return [...w.base, { p: env.p.replace('Alice', 'Mallory'), s: env.s }];
  }],
  ['signature-other-key', "A payload naming Alice as author, signed by Bob's key, does not verify.", async (w) => [...w.base, await w.raw(w.bob, w.payload(w.alice, { type: 'profile.set', name: 'Alice' }, 2_000))]],
  ['clock-too-large', 'hlc.t is at most 8.64e15 and hlc.c at most 1e9.', async (w) => [...w.base, await w.raw(w.alice, { ...w.payload(w.alice, { type: 'profile.set', name: 'A' }, 0), hlc: { t: 8.64e15 + 1, c: 0 } }), await w.raw(w.alice, { ...w.payload(w.alice, { type: 'profile.set', name: 'B' }, 0), hlc: { t: 2_000, c: 1e9 + 1 } })]],
  ['clock-not-integer', 'hlc fields are non-negative integers.', async (w) => [...w.base, await w.raw(w.alice, { ...w.payload(w.alice, { type: 'profile.set', name: 'A' }, 0), hlc: { t: 2_000.5, c: 0 } }), await w.raw(w.alice, { ...w.payload(w.alice, { type: 'profile.set', name: 'B' }, 0), hlc: { t: 2_000, c: -1 } })]],
  ['payload-lone-surrogate', 'A payload holding a lone surrogate is not an envelope (its hash would not be of the text).', async (w) => [...w.base, await rawEnvelope(w.alice.identity, JSON.stringify(w.payload(w.alice, { type: 'profile.set', name: 'Al\uD800ice' }, 2_000)).replace('\\ud800', '\uD800'))]],
  ['key-non-canonical', 'A key spelled with other spare bits in its last character is not the same key: the signature does not verify.', async (w) => {
    const env = await w.ev(w.alice, { type: 'profile.set', name: 'Alice' }, 2_000);
    const key = w.alice.identity.publicKey;
    const last = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const other = key.slice(0, -1) + last[last.indexOf(key.at(-1)!) ^ 1];
    return [...w.base, { p: env.p.replace(key, other), s: env.s }];
  }],
  ['instant-fraction-digits', 'Milliseconds, when given, are exactly three digits.', async (w) => [...w.base, await w.ev(w.chair, { type: 'period.set', opens: null, closes: '2026-12-01T17:00:00.5Z' }, 2_000), await w.ev(w.chair, { type: 'period.set', opens: null, closes: '2026-12-01T17:00:00.500Z' }, 2_100)]],
  ['text-whitespace-only', 'Text must hold something besides white space.', async (w) => [...w.base, await w.ev(w.alice, { type: 'comment.add', anchor: w.anchor('scope'), body: ' \n\t ' }, 2_000)]],
  ['text-kept-as-signed', 'Text is stored exactly as signed, white space included.', async (w) => [...w.base, await w.ev(w.alice, { type: 'comment.add', anchor: w.anchor('scope'), body: '  Two spaces first.\n' }, 2_000)]],
  ['text-limits', 'body ≤ 20,000, name ≤ 120, title ≤ 500, note ≤ 20,000 (UTF-16 code units); one over each is set aside.', async (w) => [
    ...w.base,
    await w.ev(w.alice, { type: 'comment.add', anchor: w.anchor('scope'), body: 'b'.repeat(20_000) }, 2_000),
    await w.ev(w.alice, { type: 'comment.add', anchor: w.anchor('scope'), body: 'b'.repeat(20_001) }, 2_001),
    await w.ev(w.alice, { type: 'profile.set', name: 'n'.repeat(121) }, 2_002),
    await w.ev(w.chair, { type: 'period.set', opens: null, closes: null, reason: 'r'.repeat(501) }, 2_003),
  ]],
  ['anchor-limits', 'quote.exact 1–10,000, prefix and suffix ≤ 64, section ≤ 500, fingerprint lowercase hex ≤ 128.', async (w) => [
    ...w.base,
    await w.ev(w.alice, { type: 'comment.add', anchor: { quote: { type: 'TextQuoteSelector', exact: '' } }, body: 'empty quote' }, 2_000),
    await w.ev(w.alice, { type: 'comment.add', anchor: { quote: { type: 'TextQuoteSelector', exact: 'q', prefix: 'p'.repeat(65) } }, body: 'long prefix' }, 2_001),
    await w.ev(w.alice, { type: 'comment.add', anchor: { quote: { type: 'TextQuoteSelector', exact: 'q' }, section: 's'.repeat(501) }, body: 'long section' }, 2_002),
    await w.ev(w.alice, { type: 'comment.add', anchor: { quote: { type: 'TextQuoteSelector', exact: 'q' }, fingerprint: 'ABCDEF' }, body: 'upper-case fingerprint' }, 2_003),
    await w.ev(w.alice, { type: 'comment.add', anchor: { quote: { type: 'TextQuoteSelector', exact: 'q', prefix: 'p'.repeat(64) }, fingerprint: 'abcdef' }, body: 'at the limits' }, 2_004),
  ]],
  ['anchor-position-backwards', 'A TextPositionSelector must not end before it starts.', async (w) => [...w.base, await w.ev(w.alice, { type: 'comment.add', anchor: { quote: { type: 'TextQuoteSelector', exact: 'q' }, position: { type: 'TextPositionSelector', start: 9, end: 3 } }, body: 'x' }, 2_000)]],
  ['anchor-unknown-field', 'Objects are strict: an unknown field makes the event malformed.', async (w) => [...w.base, await w.ev(w.alice, { type: 'comment.add', anchor: { quote: { type: 'TextQuoteSelector', exact: 'q', extra: 1 } } as never, body: 'x' }, 2_000)]],
  ['unknown-event-type', 'Unknown event types are malformed.', async (w) => [...w.base, await w.ev(w.alice, { type: 'comment.pin' } as never, 2_000)]],
  ['period-utc-only', 'Period instants are UTC with seconds: offsets, missing seconds and impossible dates are set aside.', async (w) => [
    ...w.base,
    await w.ev(w.chair, { type: 'period.set', opens: null, closes: '2026-12-01T17:00:00+02:00' }, 2_000),
    await w.ev(w.chair, { type: 'period.set', opens: null, closes: '2026-12-01T17:00Z' }, 2_001),
    await w.ev(w.chair, { type: 'period.set', opens: null, closes: '2026-02-30T17:00:00Z' }, 2_002),
    await w.ev(w.chair, { type: 'period.set', opens: '2026-11-01T00:00:00Z', closes: '2026-12-01T17:00:00.000Z' }, 2_003),
  ]],
  ['grant-to-non-key', 'A role for a string that is not a P-256 public key is set aside: no phantom member.', async (w) => [...w.base, await w.ev(w.chair, { type: 'role.grant', subject: 'B' + 'A'.repeat(86), role: 'member', name: 'Ghost' }, 2_000)]],
  ['grant-malformed-subject', 'A subject must be 87 base64url characters.', async (w) => [...w.base, await w.ev(w.chair, { type: 'role.grant', subject: 'not-a-key', role: 'member' }, 2_000)]],
  ['grant-role-none', "role.grant gives 'chair' or 'member'; removal is role.revoke.", async (w) => [...w.base, await w.ev(w.chair, { type: 'role.grant', subject: w.alice.identity.publicKey, role: 'none' } as never, 2_000)]],
  // Creation
  ['create-only', 'The smallest review: its creation. The creator is chair.', async (w) => [w.base[0]]],
  ['create-by-other-key', 'Only the key whose key id prefixes the review id can create it; a later valid creation still applies.', async (w) => [await w.ev(w.outsider, { type: 'review.create', title: 'Hijack', url: 'u', canonical: 'u' }, 500), ...w.base]],
  ['create-twice', 'A second creation is set aside.', async (w) => [...w.base, await w.ev(w.chair, { type: 'review.create', title: 'Again', url: 'u', canonical: 'u' }, 2_000)]],
  ['events-before-create', 'Events ordered before the creation are set aside.', async (w) => {
    w.chair.clock = undefined;
    const early = await w.ev(w.chair, { type: 'profile.set', name: 'Early' }, 500, null);
    return [early, ...w.base];
  }],
  ['create-with-group', 'The creation may name the group (22 characters) and the draft fingerprint.', async (w) => {
    const c = await world();
    const env = await signEvent(c.chair.identity, c.review, { type: 'review.create', title: 'T', url: 'u', canonical: 'u', group: 'G'.repeat(22), fingerprint: '0af3' }, undefined, 1_000);
    return [env];
  }],
  // Roles
  ['grant-by-member', 'Only a chair changes roles.', async (w) => [...w.base, await w.ev(w.alice, { type: 'role.grant', subject: w.outsider.identity.publicKey, role: 'member' }, 2_000), await w.ev(w.alice, { type: 'role.grant', subject: w.alice.identity.publicKey, role: 'chair' }, 2_001)]],
  ['grant-chair', 'A granted chair may resolve.', async (w) => {
    const c = await w.ev(w.alice, { type: 'comment.add', anchor: w.anchor('scope'), body: 'Too broad.' }, 2_000);
    return [...w.base, c, await w.ev(w.chair, { type: 'role.grant', subject: w.bob.identity.publicKey, role: 'chair' }, 2_100), await w.ev(w.bob, { type: 'thread.resolve', thread: await w.id(c), disposition: 'noted', note: 'Thanks' }, 2_200)];
  }],
  ['creator-stays-chair', "Nobody can demote or remove the review's creator.", async (w) => [...w.base, await w.ev(w.chair, { type: 'role.grant', subject: w.bob.identity.publicKey, role: 'chair' }, 2_000), await w.ev(w.bob, { type: 'role.revoke', subject: w.chair.identity.publicKey, upTo: [] }, 2_100), await w.ev(w.bob, { type: 'role.grant', subject: w.chair.identity.publicKey, role: 'member' }, 2_200)]],
  ['outsider-comment', 'A key with no role and no later grant cannot comment.', async (w) => [...w.base, await w.ev(w.outsider, { type: 'comment.add', anchor: w.anchor('scope'), body: 'spam' }, 2_000)]],
  ['member-before-grant', "A comment written before the chair's grant arrives counts once the grant is in the log; chair powers are never backdated.", async (w) => {
    const c = await w.ev(w.outsider, { type: 'comment.add', anchor: w.anchor('scope'), body: 'Written offline' }, 1_500);
    const p = await w.ev(w.outsider, { type: 'period.set', opens: null, closes: null }, 1_501);
    return [...w.base, c, p, await w.ev(w.chair, { type: 'role.grant', subject: w.outsider.identity.publicKey, role: 'chair', name: 'Late' }, 2_000)];
  }],
  ['revoke-cuts-later', 'After a removal the member can no longer write.', async (w) => {
    const c = await w.ev(w.alice, { type: 'comment.add', anchor: w.anchor('scope'), body: 'Before' }, 2_000);
    const r = await w.ev(w.chair, { type: 'role.revoke', subject: w.alice.identity.publicKey, upTo: [await w.id(c)] }, 3_000);
    return [...w.base, c, r, await w.ev(w.alice, { type: 'comment.add', anchor: w.anchor('x'), body: 'After' }, 4_000)];
  }],
  ['revoke-backdated', 'A removed member\'s events stamped before the removal count only if they are upTo or its ancestors.', async (w) => {
    const c = await w.ev(w.alice, { type: 'comment.add', anchor: w.anchor('scope'), body: 'Kept' }, 2_000);
    const r = await w.ev(w.chair, { type: 'role.revoke', subject: w.alice.identity.publicKey, upTo: [await w.id(c)] }, 3_000);
    w.alice.clock = undefined;
    const back = await w.ev(w.alice, { type: 'comment.add', anchor: w.anchor('x'), body: 'Backdated' }, 2_500);
    return [...w.base, c, r, back];
  }],
  ['revoke-backdated-fork', 'A removed member forking their history to write earlier is cut, and the fork is listed.', async (w) => {
    const c = await w.ev(w.alice, { type: 'comment.add', anchor: w.anchor('scope'), body: 'Kept' }, 2_000);
    const r = await w.ev(w.chair, { type: 'role.revoke', subject: w.alice.identity.publicKey, upTo: [await w.id(c)] }, 3_000);
    w.alice.clock = undefined;
    return [...w.base, c, r, await w.ev(w.alice, { type: 'comment.add', anchor: w.anchor('x'), body: 'Fork' }, 1_500, null)];
  }],
  ['revoke-upto-empty', 'upTo empty: none of the removed member\'s events count, not even earlier ones.', async (w) => {
    const c = await w.ev(w.alice, { type: 'comment.add', anchor: w.anchor('scope'), body: 'Unseen by the chair' }, 2_000);
    return [...w.base, c, await w.ev(w.chair, { type: 'role.revoke', subject: w.alice.identity.publicKey, upTo: [] }, 3_000)];
  }],
  ['revoke-cuts-unseen-edit', 'An edit the chair had not seen when removing the member does not count.', async (w) => {
    const c = await w.ev(w.alice, { type: 'comment.add', anchor: w.anchor('scope'), body: 'Original' }, 2_000);
    const e = await w.ev(w.alice, { type: 'comment.edit', comment: await w.id(c), body: 'Rewritten' }, 2_100);
    return [...w.base, c, e, await w.ev(w.chair, { type: 'role.revoke', subject: w.alice.identity.publicKey, upTo: [await w.id(c)] }, 2_200)];
  }],
  ['revoke-then-regrant', 'A member granted again after a removal writes again; the gap stays cut.', async (w) => {
    const c = await w.ev(w.alice, { type: 'comment.add', anchor: w.anchor('scope'), body: 'First' }, 2_000);
    const r = await w.ev(w.chair, { type: 'role.revoke', subject: w.alice.identity.publicKey, upTo: [await w.id(c)] }, 3_000);
    const gap = await w.ev(w.alice, { type: 'comment.add', anchor: w.anchor('x'), body: 'In the gap' }, 3_500);
    const g = await w.ev(w.chair, { type: 'role.grant', subject: w.alice.identity.publicKey, role: 'member' }, 4_000);
    return [...w.base, c, r, gap, g, await w.ev(w.alice, { type: 'comment.add', anchor: w.anchor('y'), body: 'Back' }, 5_000)];
  }],
  ['revoke-withheld-thread', "A thread whose first comment a removal cuts keeps its place, text withheld: others' replies and the chair's decision on it stay.", async (w) => {
    const c = await w.ev(w.alice, { type: 'comment.add', anchor: w.anchor('scope'), body: 'Unseen by the chair' }, 2_000);
    const reply = await w.ev(w.bob, { type: 'comment.add', thread: await w.id(c), body: 'Bob agrees' }, 2_100);
    const r = await w.ev(w.chair, { type: 'role.revoke', subject: w.alice.identity.publicKey, upTo: [] }, 2_200);
    return [...w.base, c, reply, r, await w.ev(w.chair, { type: 'thread.resolve', thread: await w.id(c), disposition: 'noted', note: 'Noted' }, 2_300)];
  }],
  ['revoke-every-branch', 'A removal names the tip of each branch of a forked history: both branches keep counting.', async (w) => {
    const a = await w.ev(w.alice, { type: 'comment.add', anchor: w.anchor('scope'), body: 'Branch one' }, 2_000);
    const b = await w.ev(w.alice, { type: 'comment.add', anchor: w.anchor('x'), body: 'Branch two' }, 2_100, null);
    return [...w.base, a, b, await w.ev(w.chair, { type: 'role.revoke', subject: w.alice.identity.publicKey, upTo: [await w.id(a), await w.id(b)] }, 3_000)];
  }],
  ['revoke-by-member', 'A member cannot remove anyone.', async (w) => [...w.base, await w.ev(w.alice, { type: 'role.revoke', subject: w.bob.identity.publicKey, upTo: [] }, 2_000)]],
  // Chains
  ['chain-fork', 'Two events of one author naming the same predecessor are both applied and listed as a fork.', async (w) => {
    const a = await w.ev(w.alice, { type: 'comment.add', anchor: w.anchor('scope'), body: 'One' }, 2_000);
    return [...w.base, a, await w.ev(w.alice, { type: 'comment.add', anchor: w.anchor('x'), body: 'Two' }, 2_100), await w.ev(w.alice, { type: 'comment.add', anchor: w.anchor('y'), body: 'Other two' }, 2_200, await w.id(a))];
  }],
  ['chain-foreign-prev', "An event whose predecessor is another author's event is set aside.", async (w) => {
    const a = await w.ev(w.alice, { type: 'comment.add', anchor: w.anchor('scope'), body: 'Alice' }, 2_000);
    return [...w.base, a, await w.ev(w.bob, { type: 'comment.add', anchor: w.anchor('x'), body: 'Grafted' }, 2_100, await w.id(a))];
  }],
  ['chain-gap', 'An event whose predecessor is not in the log applies all the same.', async (w) => {
    await w.ev(w.alice, { type: 'profile.set', name: 'Never delivered' }, 2_000);
    return [...w.base, await w.ev(w.alice, { type: 'comment.add', anchor: w.anchor('scope'), body: 'After a gap' }, 2_100)];
  }],
  // Comments
  ['thread-new', 'A comment without thread starts a thread whose id is the comment\'s event id.', async (w) => [...w.base, await w.ev(w.alice, { type: 'comment.add', anchor: w.anchor('scope'), body: 'Too broad.' }, 2_000)]],
  ['thread-needs-anchor', 'A new thread needs an anchor.', async (w) => [...w.base, await w.ev(w.alice, { type: 'comment.add', body: 'Where?' }, 2_000)]],
  ['reply', 'A reply names its thread.', async (w) => {
    const c = await w.ev(w.alice, { type: 'comment.add', anchor: w.anchor('scope'), body: 'Too broad.' }, 2_000);
    return [...w.base, c, await w.ev(w.bob, { type: 'comment.add', thread: await w.id(c), body: 'Agreed.' }, 2_100)];
  }],
  ['reply-unknown-thread', 'A reply to a thread not in the log is set aside.', async (w) => [...w.base, await w.ev(w.alice, { type: 'comment.add', thread: 'A'.repeat(43), body: 'Hello?' }, 2_000)]],
  ['edit-own', 'An author edits their comment; editedAt is the edit\'s clock.', async (w) => {
    const c = await w.ev(w.alice, { type: 'comment.add', anchor: w.anchor('scope'), body: 'Teh' }, 2_000);
    return [...w.base, c, await w.ev(w.alice, { type: 'comment.edit', comment: await w.id(c), body: 'The' }, 2_100)];
  }],
  ['edit-others', "Nobody edits or deletes another author's comment, not even a chair.", async (w) => {
    const c = await w.ev(w.alice, { type: 'comment.add', anchor: w.anchor('scope'), body: 'Mine' }, 2_000);
    return [...w.base, c, await w.ev(w.bob, { type: 'comment.edit', comment: await w.id(c), body: 'Hijacked' }, 2_100), await w.ev(w.chair, { type: 'comment.delete', comment: await w.id(c) }, 2_200)];
  }],
  ['delete-then-edit', 'A deleted comment stays as a placeholder with an empty body; later edits are set aside.', async (w) => {
    const c = await w.ev(w.alice, { type: 'comment.add', anchor: w.anchor('scope'), body: 'Secret' }, 2_000);
    return [...w.base, c, await w.ev(w.bob, { type: 'comment.add', thread: await w.id(c), body: 'Reply' }, 2_050), await w.ev(w.alice, { type: 'comment.delete', comment: await w.id(c) }, 2_100), await w.ev(w.alice, { type: 'comment.edit', comment: await w.id(c), body: 'Back' }, 2_200)];
  }],
  ['delete-resolved', "Deleting a resolved thread's only comment keeps the thread, its disposition, and a history entry.", async (w) => {
    const c = await w.ev(w.alice, { type: 'comment.add', anchor: w.anchor('scope'), body: 'Same as §2' }, 2_000);
    return [...w.base, c, await w.ev(w.chair, { type: 'thread.resolve', thread: await w.id(c), disposition: 'duplicate', note: 'See §2' }, 2_100), await w.ev(w.alice, { type: 'comment.delete', comment: await w.id(c) }, 2_200)];
  }],
  ['edit-after-resolution', 'An edit after the resolution is recorded in the thread history.', async (w) => {
    const c = await w.ev(w.alice, { type: 'comment.add', anchor: w.anchor('scope'), body: 'A' }, 2_000);
    return [...w.base, c, await w.ev(w.chair, { type: 'thread.resolve', thread: await w.id(c), disposition: 'accepted', note: '' }, 2_100), await w.ev(w.alice, { type: 'comment.edit', comment: await w.id(c), body: 'B' }, 2_200)];
  }],
  ['duplicates', 'The same envelope delivered three times is one event.', async (w) => {
    const c = await w.ev(w.alice, { type: 'comment.add', anchor: w.anchor('scope'), body: 'Once' }, 2_000);
    return [...w.base, c, c, { ...c }];
  }],
  ['same-payload-two-signatures', 'One payload signed twice (ECDSA signatures differ) is one event: the id is the payload\'s hash.', async (w) => {
    const c = await w.ev(w.alice, { type: 'comment.add', anchor: w.anchor('scope'), body: 'Once' }, 2_000);
    return [...w.base, c, await rawEnvelope(w.alice.identity, c.p)];
  }],
  // Threads
  ['resolve-by-member', 'Only a chair resolves.', async (w) => {
    const c = await w.ev(w.alice, { type: 'comment.add', anchor: w.anchor('scope'), body: 'x' }, 2_000);
    return [...w.base, c, await w.ev(w.alice, { type: 'thread.resolve', thread: await w.id(c), disposition: 'accepted', note: '' }, 2_100)];
  }],
  ['resolve-unknown-thread', 'Resolving a thread not in the log is set aside.', async (w) => [...w.base, await w.ev(w.chair, { type: 'thread.resolve', thread: 'A'.repeat(43), disposition: 'noted', note: '' }, 2_000)]],
  ['resolve-reopen-order', 'Concurrent resolve and reopen settle by order; all stay in the history.', async (w) => {
    const c = await w.ev(w.alice, { type: 'comment.add', anchor: w.anchor('scope'), body: 'x' }, 2_000);
    const t = await w.id(c);
    return [...w.base, c, await w.ev(w.chair, { type: 'thread.resolve', thread: t, disposition: 'noted', note: '' }, 3_000), await w.ev(w.alice, { type: 'thread.reopen', thread: t, note: 'Not addressed' }, 3_001), await w.ev(w.chair, { type: 'thread.resolve', thread: t, disposition: 'not-accepted', note: 'Out of scope' }, 3_002)];
  }],
  ['reopen-by-other-member', "Only a chair or the thread's author reopens.", async (w) => {
    const c = await w.ev(w.alice, { type: 'comment.add', anchor: w.anchor('scope'), body: 'x' }, 2_000);
    const t = await w.id(c);
    return [...w.base, c, await w.ev(w.chair, { type: 'thread.resolve', thread: t, disposition: 'deferred', note: 'Next revision' }, 2_100), await w.ev(w.bob, { type: 'thread.reopen', thread: t }, 2_200)];
  }],
  ['reopen-open-thread', 'Reopening an open thread applies and changes nothing.', async (w) => {
    const c = await w.ev(w.alice, { type: 'comment.add', anchor: w.anchor('scope'), body: 'x' }, 2_000);
    return [...w.base, c, await w.ev(w.alice, { type: 'thread.reopen', thread: await w.id(c) }, 2_100)];
  }],
  ['dispositions', 'Each of the six dispositions; an unknown one is malformed.', async (w) => {
    const out = [...w.base];
    const kinds = ['accepted', 'accepted-with-changes', 'not-accepted', 'noted', 'duplicate', 'deferred', 'rejected'] as const;
    for (const [i, d] of kinds.entries()) {
      const c = await w.ev(w.alice, { type: 'comment.add', anchor: w.anchor(`p${i}`), body: `Point ${i}` }, 2_000 + i * 10);
      out.push(c, await w.ev(w.chair, { type: 'thread.resolve', thread: await w.id(c), disposition: d as never, note: d }, 2_005 + i * 10));
    }
    return out;
  }],
  // Periods
  ['period-set', 'A chair sets the period, with a reason.', async (w) => [...w.base, await w.ev(w.chair, { type: 'period.set', opens: '2026-11-01T00:00:00Z', closes: '2026-12-01T17:00:00Z', reason: 'Agreed at the call' }, 2_000)]],
  ['period-by-member', 'Only a chair sets the period.', async (w) => [...w.base, await w.ev(w.alice, { type: 'period.set', opens: null, closes: null }, 2_000)]],
  ['period-backwards', 'A period must close after it opens.', async (w) => [...w.base, await w.ev(w.chair, { type: 'period.set', opens: '2026-12-01T00:00:00Z', closes: '2026-11-01T00:00:00Z' }, 2_000)]],
  ['period-later-wins', 'The later change wins; both stay in periodHistory.', async (w) => [...w.base, await w.ev(w.chair, { type: 'period.set', opens: null, closes: '2026-12-01T00:00:00Z' }, 2_000), await w.ev(w.chair, { type: 'period.set', opens: null, closes: '2026-12-15T00:00:00Z', reason: 'Extended' }, 2_100)]],
  ['late-marked', 'A comment stamped after the period in force closed is kept and marked late.', async (w) => [...w.base, await w.ev(w.chair, { type: 'period.set', opens: null, closes: new Date(10_000).toISOString() }, 5_000), await w.ev(w.alice, { type: 'comment.add', anchor: w.anchor('a'), body: 'In time' }, 9_000), await w.ev(w.alice, { type: 'comment.add', anchor: w.anchor('b'), body: 'Late' }, 11_000)]],
  ['late-refused', "With late: false, members' comments after closing are set aside; the chair's are kept, marked late.", async (w) => [...w.base, await w.ev(w.chair, { type: 'period.set', opens: null, closes: new Date(10_000).toISOString(), late: false }, 5_000), await w.ev(w.alice, { type: 'comment.add', anchor: w.anchor('a'), body: 'Too late' }, 11_000), await w.ev(w.chair, { type: 'comment.add', anchor: w.anchor('b'), body: 'Chair note' }, 12_000)]],
  ['late-period-in-force', 'Lateness is judged against the period in force at that point of the order, not the last one.', async (w) => [...w.base, await w.ev(w.chair, { type: 'period.set', opens: null, closes: new Date(10_000).toISOString() }, 5_000), await w.ev(w.alice, { type: 'comment.add', anchor: w.anchor('a'), body: 'Late then' }, 11_000), await w.ev(w.chair, { type: 'period.set', opens: null, closes: new Date(20_000).toISOString(), reason: 'Extended' }, 12_000), await w.ev(w.bob, { type: 'comment.add', anchor: w.anchor('b'), body: 'In time now' }, 13_000)]],
  // Clocks and order
  ['clock-frozen-by-outsider', 'An event set aside never moves the clock, however far ahead it is stamped.', async (w) => [...w.base, await signEvent(w.outsider.identity, w.review, { type: 'comment.add', anchor: w.anchor('x'), body: 'freeze' }, { t: 8.64e15, c: 1e9 - 1 }, 0)]],
  ['clock-waiting', 'With the receiver\'s time given, an event stamped more than 10 minutes ahead waits.', async (w) => ({ now: 10_000_000, envelopes: [...w.base, await w.ev(w.alice, { type: 'comment.add', anchor: w.anchor('x'), body: 'From a fast clock' }, 10_000_000 + 3_600_000)] })],
  ['clock-due', 'Exactly 10 minutes ahead applies.', async (w) => ({ now: 10_000_000, envelopes: [...w.base, await w.ev(w.alice, { type: 'comment.add', anchor: w.anchor('x'), body: 'Just in time' }, 10_000_000 + 600_000)] })],
  ['order-ties', 'Events with equal clocks are ordered by author key, then id (UTF-16 code unit order).', async (w) => {
    const a = await signEvent(w.alice.identity, w.review, { type: 'comment.add', anchor: w.anchor('x'), body: 'Alice' }, undefined, 5_000);
    const b = await signEvent(w.bob.identity, w.review, { type: 'comment.add', anchor: w.anchor('y'), body: 'Bob' }, undefined, 5_000);
    return [...w.base, b, a];
  }],
  ['clock-after-latest', 'The clock is the largest stamp among applied events.', async (w) => [...w.base, await w.ev(w.alice, { type: 'profile.set', name: 'A' }, 7_000), await w.ev(w.bob, { type: 'profile.set', name: 'B' }, 6_000)]],
  ['profile-rename', 'profile.set renames; the latest applies; grants name members until they do.', async (w) => [...w.base, await w.ev(w.alice, { type: 'profile.set', name: 'Alice Martin' }, 2_000), await w.ev(w.alice, { type: 'profile.set', name: 'Alice M.' }, 2_100)]],
  ['comment-template-fields', 'A comment may carry a category and a proposed change (a commenting template); deleting it removes the proposal; a category outside the three is malformed.', async (w) => {
    const c = await w.ev(w.alice, { type: 'comment.add', anchor: w.anchor('scope'), body: 'Too narrow.', category: 'technical', proposal: 'Replace “the MAG” with “the MAG and the community”.' }, 2_000);
    const d = await w.ev(w.bob, { type: 'comment.add', anchor: w.anchor('scope'), body: 'Typo.', category: 'editorial', proposal: 'programme' }, 2_050);
    const bad = await w.raw(w.bob, w.payload(w.bob, { type: 'comment.add', anchor: w.anchor('scope'), body: 'Hm.', category: 'urgent' }, 2_100));
    return [...w.base, c, d, bad, await w.ev(w.bob, { type: 'comment.delete', comment: await w.id(d) }, 2_200)];
  }],
];

async function main() {
  await mkdir(OUT, { recursive: true });
  for (const f of await readdir(OUT)) if (f.endsWith('.json')) await rm(join(OUT, f));
  let n = 0;
  for (const [name, description, build] of cases) {
    const w = await world();
    const built = await build(w);
    const { envelopes, now } = Array.isArray(built) ? { envelopes: built, now: undefined } : built;
    const review = w.review;
    const expected = JSON.parse(JSON.stringify(await conformanceState(review, envelopes, now === undefined ? {} : { now })));
    const vector: ConformanceVector = { name, description, review, ...(now === undefined ? {} : { now }), envelopes, expected };
    await writeFile(join(OUT, `${String(++n).padStart(3, '0')}-${name}.json`), `${JSON.stringify(vector, null, 1)}\n`);
  }
  console.log(`wrote ${n} conformance vectors to docs/conformance/`);
}

await main();
