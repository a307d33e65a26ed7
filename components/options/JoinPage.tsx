import { useEffect, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import type { HubLink } from '../../lib/sync/hub-link';
import type { Requests } from '../../lib/sync/protocol';
import { Interpolate } from '../common/Interpolate';
import { describeError } from '../common/describe-error';

/** Opened from an invite link: shows who invites, then asks for the member's name. */
export function JoinPage({ client, code: initial }: { client: HubLink; code: string }) {
  const [code, setCode] = useState(initial);
  const [info, setInfo] = useState<Requests['read-invite']['result'] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [joined, setJoined] = useState(false);

  useEffect(() => {
    setInfo(null);
    setError(null);
    if (!code.trim()) return;
    client.request('read-invite', { invite: code }).then(setInfo, (e: unknown) => setError(describeError(e)));
  }, [client, code]);

  const join = async (e: Event) => {
    e.preventDefault();
    try {
      await client.request('join-group', { invite: code, name });
      setJoined(true);
    } catch (err) {
      setError(describeError(err));
    }
  };

  return (
    <main>
      <h1>{i18n.t('joinTitle')}</h1>
      {!initial ? (
        <>
          <label for="code">{i18n.t('inviteCode')}</label>
          <textarea id="code" value={code} onInput={(e) => setCode((e.target as HTMLTextAreaElement).value)} />
        </>
      ) : null}
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      {info?.member && !joined ? (
        <p class="ok already" role="status">
          {i18n.t('alreadyMember', [info.name])}
        </p>
      ) : null}
      {info && !info.member && !joined ? (
        <form onSubmit={join}>
          <p class="group-name">
            <Interpolate message={(slot) => i18n.t('invitedTo', [slot])}>
              <strong>{info.name}</strong>
            </Interpolate>
          </p>
          <p>
            <Interpolate message={(slot) => i18n.t('chairFingerprint', [slot])}>
              <span class="fingerprint">{info.fingerprint}</span>
            </Interpolate>
          </p>
          <label for="name">{i18n.t('joinName')}</label>
          <input id="name" required maxLength={120} value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
          <button type="submit">{i18n.t('joinButton', [info.name])}</button>
        </form>
      ) : null}
      {joined ? (
        <p class="ok" role="status">
          {i18n.t('joined', [info?.name ?? ''])}
        </p>
      ) : null}
    </main>
  );
}
