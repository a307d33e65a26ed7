import { useState } from 'preact/hooks';
import { i18n } from '#i18n';
import type { HubLink } from '../../lib/sync/hub-link';
import type { GroupView } from '../../lib/hub/groups';
import type { Held } from '../../lib/groups/admission';
import { describeError } from '../common/describe-error';

const HELD: Record<Held, () => string> = {
  approval: () => i18n.t('heldApproval'),
  'invite-unknown': () => i18n.t('heldInviteUnknown'),
  'invite-revoked': () => i18n.t('heldInviteRevoked'),
  'invite-expired': () => i18n.t('heldInviteExpired'),
  'invite-used-up': () => i18n.t('heldInviteUsedUp'),
  'name-taken': () => i18n.t('heldNameTaken'),
  'removed-before': () => i18n.t('heldRemovedBefore'),
};

/** UTC first: the group schedules in UTC. */
const utc = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/**
 * The chair's view of one group's people: who is a member (and by which invite), who asked to
 * join and why the request waits, the invites and their terms, and removing a member.
 */
export function GroupMembers({ client, group, onChange, onInvite }: { client: HubLink; group: GroupView; onChange: () => void; onInvite: (code: string) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [days, setDays] = useState('14');
  const [uses, setUses] = useState('25');
  const act = async (work: () => Promise<unknown>) => {
    setError(null);
    setBusy(true);
    try {
      await work();
      onChange();
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };
  const inviteName = (id: string) => {
    const index = group.invites.findIndex((i) => i.id === id);
    return index === -1 ? '—' : i18n.t('inviteNumber', [String(index + 1)]);
  };
  const members = group.members.filter((m) => m.status === 'member');
  const removed = group.members.filter((m) => m.status === 'removed');
  return (
    <div class="people">
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      <h3>{i18n.t('membersHeading', [String(members.length)])}</h3>
      {members.length === 0 ? <p>{i18n.t('noMembersYet')}</p> : null}
      <ul class="members">
        {members.map((m) => (
          <li key={m.key} data-member={m.name}>
            <bdi class="name">{m.name}</bdi> · <span class="fingerprint">{m.fingerprint}</span> · {inviteName(m.invite)}{' '}
            {confirming === m.key ? (
              <span class="confirm" role="group" aria-label={i18n.t('removeMemberConfirm', [m.name])}>
                <span>{i18n.t('removeMemberConfirm', [m.name])}</span>{' '}
                <button type="button" class="danger" disabled={busy} onClick={() => void act(() => client.request('remove-member', { group: group.id, key: m.key })).then(() => setConfirming(null))}>
                  {busy ? i18n.t('removing') : i18n.t('removeMember')}
                </button>{' '}
                <button type="button" class="secondary" onClick={() => setConfirming(null)}>
                  {i18n.t('cancel')}
                </button>
              </span>
            ) : (
              <button type="button" class="secondary small" onClick={() => setConfirming(m.key)}>
                {i18n.t('removeMember')}
              </button>
            )}
          </li>
        ))}
      </ul>
      {removed.length ? <p class="removed">{i18n.t('removedMembers', [removed.map((m) => m.name).join(', ')])}</p> : null}
      {group.pending.length ? (
        <>
          <h3>{i18n.t('pendingHeading', [String(group.pending.length)])}</h3>
          <ul class="pending">
            {group.pending.map((p) => (
              <li key={p.key} data-pending={p.name}>
                <bdi class="name">{p.name}</bdi> · <span class="fingerprint">{p.fingerprint}</span> · {inviteName(p.invite)} — {HELD[p.held]()}{' '}
                <button type="button" class="small" disabled={busy} onClick={() => void act(() => client.request('admit', { group: group.id, key: p.key }))}>
                  {i18n.t('admit')}
                </button>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h3>{i18n.t('commentingHeading')}</h3>
      <label class="inline">
        <input type="checkbox" class="template-fields" checked={group.fields} onChange={(e) => void act(() => client.request('set-group-options', { group: group.id, fields: (e.target as HTMLInputElement).checked }))} />{' '}
        {i18n.t('templateFields')}
      </label>
      <h3>{i18n.t('invitesHeading')}</h3>
      <label class="inline">
        <input type="checkbox" checked={group.admission === 'approve'} onChange={(e) => void act(() => client.request('set-admission', { group: group.id, mode: (e.target as HTMLInputElement).checked ? 'approve' : 'auto' }))} />{' '}
        {i18n.t('admissionApprove')}
      </label>
      <ul class="invites">
        {group.invites.map((inv, i) => (
          <li key={inv.id}>
            {i18n.t('inviteNumber', [String(i + 1)])} · {inv.expires === null ? i18n.t('inviteNoExpiry') : i18n.t('inviteExpires', [utc(inv.expires)])} ·{' '}
            {inv.uses === null ? i18n.t('inviteUsedNoLimit', inv.used, [String(inv.used)]) : i18n.t('inviteUsed', [String(inv.used), String(inv.uses)])}
            {inv.revoked ? (
              <> · {i18n.t('inviteRevoked')}</>
            ) : (
              <>
                {' '}
                <button type="button" class="secondary small" disabled={busy} onClick={() => void act(() => client.request('revoke-invite', { group: group.id, invite: inv.id }))}>
                  {i18n.t('revokeInvite')}
                </button>
              </>
            )}
          </li>
        ))}
      </ul>
      <form
        class="new-invite"
        onSubmit={(e) => {
          e.preventDefault();
          void act(async () => onInvite((await client.request('invite', { group: group.id, days: days ? Number(days) : null, uses: uses ? Number(uses) : null })).invite));
        }}
      >
        <label for={`days-${group.id}`}>{i18n.t('inviteDays')}</label>
        <input id={`days-${group.id}`} type="number" min={1} max={365} value={days} onInput={(e) => setDays((e.target as HTMLInputElement).value)} />
        <label for={`uses-${group.id}`}>{i18n.t('inviteUses')}</label>
        <input id={`uses-${group.id}`} type="number" min={1} max={1000} value={uses} onInput={(e) => setUses((e.target as HTMLInputElement).value)} />
        <button type="submit" disabled={busy}>
          {i18n.t('newInvite')}
        </button>
      </form>
    </div>
  );
}
