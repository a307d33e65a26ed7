import { useEffect, useState } from 'preact/hooks';
import type { HubClient } from '../../lib/sync/hub-client';
import type { Requests } from '../../lib/sync/protocol';

/** Opened from an invite link: shows who invites, then asks for the member's name. */
export function JoinPage({ client, code: initial }: { client: HubClient; code: string }) {
  const [code, setCode] = useState(initial);
  const [info, setInfo] = useState<Requests['read-invite']['result'] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [joined, setJoined] = useState(false);

  useEffect(() => {
    setInfo(null);
    setError(null);
    if (!code.trim()) return;
    client.request('read-invite', { invite: code }).then(setInfo, (e: Error) => setError(e.message));
  }, [client, code]);

  const join = async (e: Event) => {
    e.preventDefault();
    try {
      await client.request('join-group', { invite: code, name });
      setJoined(true);
    } catch (err) {
      setError((err as Error).message);
    }
  };

  return (
    <main>
      <h1>Join a review group</h1>
      {!initial ? (
        <>
          <label for="code">Invite code</label>
          <textarea id="code" value={code} onInput={(e) => setCode((e.target as HTMLTextAreaElement).value)} />
        </>
      ) : null}
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      {info && !joined ? (
        <form onSubmit={join}>
          <p class="group-name">
            You are invited to <strong>{info.name}</strong>.
          </p>
          <p>
            Chair's key fingerprint: <span class="fingerprint">{info.fingerprint}</span>. Check it with the chair before you join.
          </p>
          <label for="name">Your name, as the group will see it</label>
          <input id="name" required maxLength={120} value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
          <button type="submit">Join {info.name}</button>
        </form>
      ) : null}
      {joined ? (
        <p class="ok" role="status">
          You joined {info?.name}. Open a draft the group reviews and click the Margins button.
        </p>
      ) : null}
    </main>
  );
}
