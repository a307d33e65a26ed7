import { useEffect, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import { fingerprint } from '../../lib/identity/keys';
import type { HubLink } from '../../lib/sync/hub-link';
import { describeError } from '../common/describe-error';
import { download } from '../dashboard/download';

type Notice = { kind: 'ok' | 'error'; text: string } | null;

/** This profile's key: its fingerprint, a passphrase-sealed backup, and restoring one into a new profile. */
export function IdentitySection({ client }: { client: HubLink }) {
  const [me, setMe] = useState<{ keyId: string; name: string } | null>(null);
  const [passphrase, setPassphrase] = useState('');
  const [again, setAgain] = useState('');
  const [sealing, setSealing] = useState(false);
  const [backupNotice, setBackupNotice] = useState<Notice>(null);
  const [file, setFile] = useState<File | null>(null);
  const [restorePassphrase, setRestorePassphrase] = useState('');
  const [restoring, setRestoring] = useState(false);
  const [restoreNotice, setRestoreNotice] = useState<Notice>(null);
  const refresh = () => client.request('whoami', {}).then(setMe, () => setMe(null));
  useEffect(() => void refresh(), [client]);

  const backup = async (e: Event) => {
    e.preventDefault();
    if (passphrase !== again) return setBackupNotice({ kind: 'error', text: i18n.t('backupMismatch') });
    setSealing(true);
    setBackupNotice(null);
    try {
      const { file } = await client.request('backup-identity', { passphrase });
      const slug = (me?.name ?? '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'profile';
      download(file, 'application/json', `margins-identity-${slug}-${new Date().toISOString().slice(0, 10)}.json`);
      setPassphrase('');
      setAgain('');
      setBackupNotice({ kind: 'ok', text: i18n.t('backupSaved') });
    } catch (err) {
      setBackupNotice({ kind: 'error', text: describeError(err) });
    } finally {
      setSealing(false);
    }
  };

  const restore = async (e: Event) => {
    e.preventDefault();
    if (!file) return;
    setRestoring(true);
    setRestoreNotice(null);
    try {
      const { keyId } = await client.request('restore-identity', { file: await file.text(), passphrase: restorePassphrase });
      setRestorePassphrase('');
      // The hub restarts with the restored key; the fingerprint shown follows once it answers.
      setTimeout(() => void refresh(), 1_500);
      setRestoreNotice({ kind: 'ok', text: i18n.t('restoreDone', [fingerprint(keyId)]) });
    } catch (err) {
      setRestoreNotice({ kind: 'error', text: describeError(err) });
    } finally {
      setRestoring(false);
    }
  };

  return (
    <section class="identity" aria-labelledby="identity-heading">
      <h2 id="identity-heading">{i18n.t('identityHeading')}</h2>
      <p>{i18n.t('identityIntro')}</p>
      {me ? <p class="fingerprint">{i18n.t('identityFingerprint', [fingerprint(me.keyId)])}</p> : null}
      <form class="backup" onSubmit={(e) => void backup(e)}>
        <label>
          {i18n.t('backupPassphrase')}
          <input type="password" name="passphrase" autocomplete="new-password" minLength={10} required value={passphrase} onInput={(e) => setPassphrase(e.currentTarget.value)} />
        </label>
        <label>
          {i18n.t('backupPassphraseAgain')}
          <input type="password" name="passphrase-again" autocomplete="new-password" minLength={10} required value={again} onInput={(e) => setAgain(e.currentTarget.value)} />
        </label>
        <button type="submit" disabled={sealing}>
          {sealing ? i18n.t('backupSealing') : i18n.t('backupDownload')}
        </button>
        {backupNotice ? <p role={backupNotice.kind === 'error' ? 'alert' : 'status'} class={backupNotice.kind}>{backupNotice.text}</p> : null}
      </form>
      <h3>{i18n.t('restoreHeading')}</h3>
      <p>{i18n.t('restoreIntro')}</p>
      <form class="restore" onSubmit={(e) => void restore(e)}>
        <label>
          {i18n.t('restoreFile')}
          <input type="file" name="backup" accept="application/json,.json" required onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} />
        </label>
        <label>
          {i18n.t('restorePassphrase')}
          <input type="password" name="restore-passphrase" autocomplete="current-password" required value={restorePassphrase} onInput={(e) => setRestorePassphrase(e.currentTarget.value)} />
        </label>
        <button type="submit" disabled={restoring || !file}>
          {i18n.t('restoreButton')}
        </button>
        {restoreNotice ? <p role={restoreNotice.kind === 'error' ? 'alert' : 'status'} class={restoreNotice.kind}>{restoreNotice.text}</p> : null}
      </form>
    </section>
  );
}
