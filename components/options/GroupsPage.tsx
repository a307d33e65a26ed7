import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { HubClient } from '../../lib/sync/hub-client';
import type { Requests } from '../../lib/sync/protocol';

type GroupRow = Requests['groups']['result'][number];

/** Where a chair creates a group and gets its invite. */
export function GroupsPage({ client }: { client: HubClient }) {
  const [groups, setGroups] = useState<GroupRow[]>([]);
  const [name, setName] = useState('');
  const [signaling, setSignaling] = useState('ws://127.0.0.1:4444');
  const [ice, setIce] = useState('');
  const [invite, setInvite] = useState<{ group: string; code: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const refresh = () => client.request('groups', {}).then(setGroups, (e: Error) => setError(e.message));
  useEffect(() => void refresh(), [client]);

  const create = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      const iceServers = ice
        .split(/\s+/)
        .filter(Boolean)
        .map((urls) => ({ urls }));
      const created = await client.request('create-group', { name, signaling: signaling.split(/\s+/).filter(Boolean), iceServers });
      setInvite({ group: created.id, code: created.invite });
      setName('');
      await refresh();
    } catch (err) {
      setError((err as Error).message);
    }
  };

  const showInvite = async (group: string) => {
    try {
      setInvite({ group, code: (await client.request('invite', { group })).invite });
    } catch (err) {
      setError((err as Error).message);
    }
  };

  const link = invite ? `${browser.runtime.getURL('/join.html')}#${invite.code}` : '';
  return (
    <main>
      <h1>Margins groups</h1>
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      <section aria-labelledby="your-groups">
        <h2 id="your-groups">Your groups</h2>
        {groups.length === 0 ? <p>None yet.</p> : null}
        {groups.map((g) => (
          <div class="group" key={g.id} data-group={g.id}>
            <strong>{g.name}</strong> — {g.chair ? 'you chair it' : 'member'} · chair key <span class="fingerprint">{g.fingerprint}</span>
            {g.chair ? (
              <div>
                <button type="button" class="secondary" onClick={() => void showInvite(g.id)}>
                  Show invite
                </button>
              </div>
            ) : null}
          </div>
        ))}
      </section>
      {invite ? (
        <section aria-labelledby="invite-heading">
          <h2 id="invite-heading">Invite</h2>
          <p>Send the link (or the code) to the group's members over a channel you trust. Anyone who has it can join.</p>
          <label for="invite-link">Invite link</label>
          <textarea id="invite-link" class="invite-link" readOnly value={link} />
          <label for="invite-code">Invite code</label>
          <textarea id="invite-code" class="invite-code" readOnly value={invite.code} />
        </section>
      ) : null}
      <section aria-labelledby="new-group">
        <h2 id="new-group">Create a group</h2>
        <form onSubmit={create}>
          <label for="group-name">Name</label>
          <input id="group-name" required maxLength={120} value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
          <label for="group-signaling">Signaling servers (ws:// or wss://, space-separated)</label>
          <input id="group-signaling" value={signaling} onInput={(e) => setSignaling((e.target as HTMLInputElement).value)} />
          <label for="group-ice">ICE servers (stun: or turn: URLs, space-separated; empty for a local network)</label>
          <input id="group-ice" value={ice} onInput={(e) => setIce((e.target as HTMLInputElement).value)} />
          <button type="submit">Create group</button>
        </form>
      </section>
    </main>
  );
}
