import { useEffect, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import { inviteLink } from '../../lib/groups/invite-link';
import { checkServer, type ServerCheck } from '../../lib/groups/server-check';
import { CopyButton } from '../common/CopyButton';
import { browser } from 'wxt/browser';
import { Interpolate } from '../common/Interpolate';
import type { HubLink } from '../../lib/sync/hub-link';
import type { Requests } from '../../lib/sync/protocol';
import { describeError } from '../common/describe-error';
import { GroupMembers } from './GroupMembers';

type GroupRow = Requests['groups']['result'][number];

function describeCheck(check: ServerCheck): string {
  if (check.ok) return check.warning === 'local-only' ? i18n.t('serverLocalOnly') : check.warning === 'not-encrypted' ? i18n.t('serverNotEncrypted') : i18n.t('serverAnswers', [String(check.ms)]);
  return check.reason === 'unreachable' ? i18n.t('serverUnreachable') : check.reason === 'no-answer' ? i18n.t('serverNotMargins') : i18n.t('serverNotAddress');
}

/** Where a chair creates a group and gets its invite. */
export function GroupsPage({ client }: { client: HubLink }) {
  const [groups, setGroups] = useState<GroupRow[]>([]);
  const [name, setName] = useState('');
  const [signaling, setSignaling] = useState('ws://127.0.0.1:4444');
  const [ice, setIce] = useState('');
  /** The invite shown, with the group's server addresses it links to (known before the group list refreshes). */
  const [invite, setInvite] = useState<{ group: string; code: string; signaling: string[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [check, setCheck] = useState<ServerCheck | 'checking' | null>(null);
  const refresh = () => client.request('groups', {}).then(setGroups, (e: unknown) => setError(describeError(e)));
  useEffect(() => void refresh(), [client]);

  const create = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      const iceServers = ice
        .split(/\s+/)
        .filter(Boolean)
        .map((urls) => ({ urls }));
      const servers = signaling.split(/\s+/).filter(Boolean);
      const created = await client.request('create-group', { name, signaling: servers, iceServers });
      setInvite({ group: created.id, code: created.invite, signaling: servers });
      setName('');
      await refresh();
    } catch (err) {
      setError(describeError(err));
    }
  };

  const showInvite = async (group: GroupRow) => {
    try {
      setInvite({ group: group.id, code: (await client.request('invite', { group: group.id })).invite, signaling: group.signaling });
    } catch (err) {
      setError(describeError(err));
    }
  };

  // The group server's page for the invite; a group with no usable server address keeps the extension's own.
  const link = invite ? (inviteLink(invite.signaling, invite.code) ?? `${browser.runtime.getURL('/join.html')}#${invite.code}`) : '';
  return (
    <main>
      <h1>{i18n.t('groupsTitle')}</h1>
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      <section aria-labelledby="your-groups">
        <h2 id="your-groups">{i18n.t('yourGroups')}</h2>
        {groups.length === 0 ? <p>{i18n.t('noGroups')}</p> : null}
        {groups.map((g) => (
          <div class="group" key={g.id} data-group={g.id}>
            <strong>{g.name}</strong> — {g.chair ? i18n.t('groupYouChair') : i18n.t('groupMember')} ·{' '}
            <Interpolate message={(slot) => i18n.t('chairKey', [slot])}>
              <span class="fingerprint">{g.fingerprint}</span>
            </Interpolate>
            {g.removed ? <p class="removed-notice">{i18n.t('youWereRemoved')}</p> : null}
            {g.chair ? (
              <div>
                <button type="button" class="secondary" onClick={() => void showInvite(g)}>
                  {i18n.t('showInvite')}
                </button>
                <GroupMembers client={client} group={g} onChange={() => void refresh()} onInvite={(code) => setInvite({ group: g.id, code, signaling: g.signaling })} />
              </div>
            ) : null}
          </div>
        ))}
      </section>
      {invite ? (
        <section aria-labelledby="invite-heading">
          <h2 id="invite-heading">{i18n.t('inviteHeading')}</h2>
          <p>{i18n.t('inviteHelp')}</p>
          <label for="invite-link">{i18n.t('inviteLink')}</label>
          <textarea id="invite-link" class="invite-link" readOnly value={link} />
          <CopyButton text={link} label={i18n.t('copyLink')} />
          <label for="invite-code">{i18n.t('inviteCode')}</label>
          <textarea id="invite-code" class="invite-code" readOnly value={invite.code} />
          <CopyButton text={invite.code} label={i18n.t('copyCode')} />
        </section>
      ) : null}
      <section aria-labelledby="new-group">
        <h2 id="new-group">{i18n.t('createGroupHeading')}</h2>
        <form onSubmit={create}>
          <label for="group-name">{i18n.t('groupName')}</label>
          <input id="group-name" required maxLength={120} value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
          <label for="group-signaling">{i18n.t('groupServer')}</label>
          <p class="help" id="group-server-help">
            {i18n.t('groupServerHelp')}
          </p>
          <input
            id="group-signaling"
            aria-describedby="group-server-help server-check"
            value={signaling}
            onInput={(e) => {
              setSignaling((e.target as HTMLInputElement).value);
              setCheck(null);
            }}
          />
          <button
            type="button"
            class="secondary test-connection"
            onClick={() => {
              setCheck('checking');
              void checkServer(signaling.split(/\s+/).filter(Boolean)[0] ?? '', (url) => new WebSocket(url) as never).then(setCheck);
            }}
          >
            {i18n.t('testConnection')}
          </button>
          <p id="server-check" class={`server-check ${check && check !== 'checking' ? (check.ok && !check.warning ? 'ok' : 'warn') : ''}`} role="status">
            {check === 'checking' ? i18n.t('checking') : check ? describeCheck(check) : ''}
          </p>
          <details class="advanced">
            <summary>{i18n.t('advanced')}</summary>
            <label for="group-ice">{i18n.t('groupIce')}</label>
            <input id="group-ice" value={ice} onInput={(e) => setIce((e.target as HTMLInputElement).value)} />
          </details>
          <button type="submit">{i18n.t('createGroup')}</button>
        </form>
      </section>
    </main>
  );
}
