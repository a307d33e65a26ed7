/**
 * Whether the chair's hub admits a join request on its own, or holds it for the chair: a pure
 * decision, so each rule is tested on its own. Invite holders are admitted automatically only
 * while their invite is valid, unrevoked and not used up, and only under a name nobody else in
 * the group goes by; everything else waits for the chair's click.
 */
import { nameKey } from '../review/names';
import type { Admission, RecordOf } from './records';

export type Held = 'approval' | 'invite-unknown' | 'invite-revoked' | 'invite-expired' | 'invite-used-up' | 'name-taken' | 'removed-before';

export interface AdmissionContext {
  mode: Admission;
  now: number;
  roster: Map<string, RecordOf<'member'>>;
  invites: Map<string, RecordOf<'invite'>>;
  /** Names already in use: the chair's and every listed member's. */
  names: string[];
}

export function decide(request: RecordOf<'join'>, ctx: AdmissionContext): { admit: true } | { admit: false; held: Held } {
  if (ctx.roster.get(request.key)?.status === 'removed') return { admit: false, held: 'removed-before' };
  const invite = ctx.invites.get(request.invite);
  if (!invite) return { admit: false, held: 'invite-unknown' };
  if (invite.revoked) return { admit: false, held: 'invite-revoked' };
  if (invite.expires !== null && invite.expires < ctx.now) return { admit: false, held: 'invite-expired' };
  if (ctx.names.some((n) => nameKey(n) === nameKey(request.name))) return { admit: false, held: 'name-taken' };
  const used = [...ctx.roster.values()].filter((m) => m.invite === invite.id).length;
  if (invite.uses !== null && used >= invite.uses) return { admit: false, held: 'invite-used-up' };
  if (ctx.mode === 'approve') return { admit: false, held: 'approval' };
  return { admit: true };
}
