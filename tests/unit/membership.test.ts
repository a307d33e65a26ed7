/** The pieces of membership the chair controls: admission rules, signed directory entries, sealing. */
import { describe, expect, it } from 'vitest';
import { decide, type AdmissionContext } from '../../lib/groups/admission';
import { openRecord, signRecord, type RecordOf } from '../../lib/groups/records';
import { generateIdentity, seal, unseal } from '../../lib/identity';
import { visibleName } from '../../lib/review/names';

const GROUP = 'G'.repeat(22);

async function request(name = 'Ana', invite = 'inv1'): Promise<RecordOf<'join'>> {
  const id = await generateIdentity();
  return { kind: 'join', group: GROUP, key: id.publicKey, name, agree: id.agreement.publicKey, invite, proof: 'p', ticket: 't', at: 1 };
}

function context(over: Partial<AdmissionContext> = {}): AdmissionContext {
  const invite: RecordOf<'invite'> = { kind: 'invite', group: GROUP, id: 'inv1', expires: 10_000, uses: 2, revoked: false };
  return { mode: 'auto', now: 5_000, roster: new Map(), invites: new Map([['inv1', invite]]), names: ['Chair Person'], ...over };
}

describe('admission', () => {
  it('admits an invite holder on a valid invite automatically, and holds everything else for the chair', async () => {
    const r = await request();
    expect(decide(r, context())).toEqual({ admit: true });
    expect(decide(r, context({ mode: 'approve' }))).toEqual({ admit: false, held: 'approval' });
    expect(decide(await request('Ana', 'other'), context())).toEqual({ admit: false, held: 'invite-unknown' });
    expect(decide(r, context({ now: 10_001 }))).toEqual({ admit: false, held: 'invite-expired' });
    const revoked = context();
    revoked.invites.set('inv1', { ...revoked.invites.get('inv1')!, revoked: true });
    expect(decide(r, revoked)).toEqual({ admit: false, held: 'invite-revoked' });
  });

  it("counts the invite's uses, refuses someone else's name, and never re-admits a removed key on its own", async () => {
    const r = await request();
    const member = (key: string, status: 'member' | 'removed' = 'member'): RecordOf<'member'> => ({ kind: 'member', group: GROUP, key, name: key.slice(0, 5), agree: r.agree, invite: 'inv1', status, at: 1 });
    const full = context({ roster: new Map([['a', member('a')], ['b', member('b')]]) });
    expect(decide(r, full)).toEqual({ admit: false, held: 'invite-used-up' });
    expect(decide(await request(' chair person '), context())).toEqual({ admit: false, held: 'name-taken' });
    // Characters that show nothing, or reverse what follows, make no other name.
    const hidden = ['\u200b', '\u202e', '\u200d', '\u180e', '\u034f', '\ufe0f', '\u{e0100}', '\u{e0041}', '\u3164', '\u115f', '\u1160', '\uffa0', '\u206a', '\ufff9', '\u{1d173}', '\u17b4', '\u2800'];
    const lookalikes = [...hidden.flatMap((h) => [`chair${h} person`, `Chair Person${h}`]), '\u2066Chair Person\u2069', 'Chair\u3000 Person'];
    for (const lookalike of lookalikes) {
      expect(decide(await request(lookalike), context())).toEqual({ admit: false, held: 'name-taken' });
    }
    expect(decide(r, context({ roster: new Map([[r.key, member(r.key, 'removed')]]) }))).toEqual({ admit: false, held: 'removed-before' });
  });
});

describe('signed directory entries', () => {
  it('count only when the right key signed them for this group', async () => {
    const chair = await generateIdentity();
    const mallory = await generateIdentity();
    const listing = { kind: 'listing' as const, group: GROUP, review: 'r', title: 'T', url: 'u', canonical: 'u' };
    const signed = await signRecord(chair, listing);
    expect(await openRecord(signed, 'listing', GROUP, chair.publicKey)).toEqual(listing);
    expect(await openRecord(await signRecord(mallory, listing), 'listing', GROUP, chair.publicKey)).toBeNull();
    expect(await openRecord(signed, 'listing', 'H'.repeat(22), chair.publicKey)).toBeNull(); // replayed into another group
    expect(await openRecord(signed, 'member', GROUP, chair.publicKey)).toBeNull();
    expect(await openRecord({ p: signed.p.replace('"T"', '"Fake"'), s: signed.s }, 'listing', GROUP, chair.publicKey)).toBeNull();
    expect(await openRecord('junk', 'listing', GROUP, chair.publicKey)).toBeNull();
  });

  it('a join request counts only signed by the key it names: no one can ask, or spoil a request, for another', async () => {
    const r = await request();
    const ana = await generateIdentity();
    const own = { ...r, key: ana.publicKey, agree: ana.agreement.publicKey };
    const byKey = (x: RecordOf<'join'>) => x.key;
    expect(await openRecord(await signRecord(ana, own), 'join', GROUP, byKey)).toEqual(own);
    const mallory = await generateIdentity();
    expect(await openRecord(await signRecord(mallory, own), 'join', GROUP, byKey)).toBeNull();
  });
});

describe('sealing a new group secret', () => {
  it('opens only for the member it was sealed to, and only in its context', async () => {
    const [ana, bo, eve] = await Promise.all([generateIdentity(), generateIdentity(), generateIdentity()]);
    const { ephemeral, sealed } = await seal('the-new-secret', [ana.agreement.publicKey, bo.agreement.publicKey], 'group:1');
    expect(await unseal(ana.agreement, ephemeral, sealed[ana.agreement.publicKey], 'group:1')).toBe('the-new-secret');
    expect(await unseal(bo.agreement, ephemeral, sealed[bo.agreement.publicKey], 'group:1')).toBe('the-new-secret');
    expect(sealed[eve.agreement.publicKey]).toBeUndefined();
    expect(await unseal(eve.agreement, ephemeral, sealed[ana.agreement.publicKey], 'group:1')).toBeNull();
    expect(await unseal(ana.agreement, ephemeral, sealed[ana.agreement.publicKey], 'group:2')).toBeNull();
  });
});

describe('names as shown', () => {
  it('show no bidi control or invisible character, which would reverse what follows or hide a difference', () => {
    expect(visibleName('Ana\u202e 12:40')).toBe('Ana 12:40');
    expect(visibleName('\u200bali\u00adce\ufeff ')).toBe('alice');
    // Joiners stay: some scripts and emoji need them.
    expect(visibleName('👩\u200d💻 Dana')).toBe('👩\u200d💻 Dana');
    expect(visibleName('Dana\u3164\u{e0041}\u180e')).toBe('Dana');
  });
});
