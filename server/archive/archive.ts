/**
 * The archive peer: the browser's hub, unchanged, running in Node as one more member device of
 * each group it joins. It is always online, so a comment written while nobody else is reaches
 * everyone through it; it keeps every review on disk (LevelDB, level-store.ts). It holds the
 * group secret as a member does and signs only its own join request: it cannot forge anyone's
 * events, and the chair removes it like any member.
 */
import 'fake-indexeddb/auto';
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import wrtc from '@roamhq/wrtc';
import { WebSocket } from 'ws';
import { Hub } from '../../lib/hub/hub';
import { EXTENSION_ACCESS } from '../../lib/hub/port-access';
import { MarginsDB } from '../../lib/store/db';
import { HubLink } from '../../lib/sync/hub-link';
import { portPair } from '../../lib/sync/port';
import { WebrtcNetwork } from '../../lib/sync/webrtc-network';
import { loadOrCreateServerIdentity } from './identity';
import { LevelStore } from './level-store';

// y-webrtc's signaling client uses the global WebSocket, which Node 20 does not have.
(globalThis as unknown as { WebSocket: unknown }).WebSocket ??= WebSocket;

export interface ArchiveOptions {
  /** Where the archive keeps its key file and its LevelDB. */
  dataDir: string;
  /** The name the group sees for this device. */
  name?: string;
  /** Structured log lines (JSON). */
  log?: (event: string, fields?: Record<string, unknown>) => void;
}

export interface Archive {
  hub: Hub;
  /** This device's key id, which the chair sees in the member list. */
  keyId: string;
  /** Joins a group with an invite (the code or a link holding it); resolves once the request is made. */
  join(invite: string): Promise<{ group: string }>;
  /** Groups, their members, the join requests waiting for the chair, reviews and events held, for /metrics. */
  metrics(): Promise<{ groups: number; members: number; waiting: number; reviews: number; envelopes: number; rowsRestored: number }>;
  /** Why the disk refused a write, if it did: the archive is then not keeping what it receives. */
  diskError(): string | null;
  close(): Promise<void>;
}

export async function startArchive(options: ArchiveOptions): Promise<Archive> {
  const log = options.log ?? (() => {});
  // The directory holds the group secrets and the reviews in clear: its owner's alone.
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  chmodSync(options.dataDir, 0o700);
  const identity = await loadOrCreateServerIdentity(join(options.dataDir, 'identity.json'));
  const store = new LevelStore(join(options.dataDir, 'level'));
  const db = new MarginsDB(`archive-${identity.keyId}`);
  await db.open();
  const { rows } = await store.attach(db, (a, b) => indexedDB.cmp(a, b));
  // The hub finds its identity in its settings, as in a browser profile.
  await db.settings.put({ key: 'identity', value: identity });
  const network = new WebrtcNetwork({ wrtc });
  const hub = await Hub.start(db, Date.now, network);
  const link = new HubLink(async () => {
    const [mine, theirs] = portPair();
    hub.connect(theirs, EXTENSION_ACCESS);
    return mine;
  }).start();
  const name = options.name ?? 'Group server (archive)';
  if (!(await link.request('whoami', {})).name) await link.request('set-name', { name });
  log('archive-started', { keyId: identity.keyId, rowsRestored: rows, groups: (await db.groups.count()) });

  return {
    hub,
    keyId: identity.keyId,
    async join(invite) {
      const code = invite.includes('#') ? invite.slice(invite.indexOf('#') + 1) : invite;
      const { id } = await link.request('join-group', { invite: code, name: (await link.request('whoami', {})).name || name });
      log('archive-joined', { group: id });
      return { group: id };
    },
    async metrics() {
      const groups = await link.request('groups', {});
      const sum = (f: (g: (typeof groups)[number]) => number) => groups.reduce((n, g) => n + f(g), 0);
      return {
        groups: groups.length,
        members: sum((g) => g.members.filter((m) => m.status === 'member').length),
        waiting: hub.groups.waitingRequests(),
        reviews: await db.reviews.count(),
        envelopes: await db.envelopes.count(),
        rowsRestored: rows,
      };
    },
    diskError: () => store.error?.message ?? null,
    async close() {
      // Nothing new from peers, then everything received committed, then on disk.
      network.destroy();
      link.stop();
      await hub.flushed().catch(() => {});
      await store.flush().catch(() => {});
      await store.close();
      db.close();
    },
  };
}
