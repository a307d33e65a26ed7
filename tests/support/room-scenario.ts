/**
 * The ten-peer room, step by step: a chair and nine members (Node hubs over real WebRTC and the
 * real signaling server) join, comment concurrently, and settle a chair's resolves against the
 * members' reopens. Shared by tests/integration/room.test.ts and `npm run stress:room`.
 *
 * Every step has its own deadline; when one passes, the error names each peer that is behind and
 * what it lacks (links, the review, its admission, which comments), so a failure says where
 * convergence stalled instead of only that it did.
 */
import { startSignalingServer } from '../../server/signaling-server.mjs';
import { startPeer, type Peer } from './peers';

export interface RoomOptions {
  members?: number;
  commentsEach?: number;
  /** Deadline of each step. */
  stepMs?: number;
}

export interface RoomRun {
  /** Milliseconds per step, in order. */
  steps: [string, number][];
  /** From handing out the invite to every peer holding the same state. */
  convergeMs: number;
  /** Handshakes given up (stalled) over all peers and rooms. */
  stalled: number;
}

interface Diagnosis {
  dir: Link | null;
  room: Link | null;
  review: boolean;
  role: string;
  quotes: string[];
  digest: string;
}
interface Link {
  peers: number;
  connecting: number;
  stalled: number;
  signaling: boolean;
}

export class StepTimeout extends Error {}

const link = (name: string, l: Link | null) =>
  l ? `${name} ${l.peers} connected${l.connecting ? `, ${l.connecting} connecting` : ''}${l.stalled ? `, ${l.stalled} given up` : ''}${l.signaling ? '' : ', no signaling'}` : `${name} not joined`;

/** One line per peer that is behind: what it lacks at the moment the step timed out. */
export async function diagnose(peers: Peer[], expected: string[], step: string): Promise<string> {
  const reports = await Promise.all(
    peers.map((p) =>
      Promise.race([
        p.send<Diagnosis>('diagnose'),
        new Promise<string>((r) => setTimeout(() => r('does not answer within 5 s: its event loop is stuck'), 5_000)),
      ]).catch((e: Error) => e.message),
    ),
  );
  const majority = mostCommon(reports.map((r) => (typeof r === 'string' ? '' : r.digest)));
  const lines = reports.map((r, i) => {
    const name = peers[i].name;
    if (typeof r === 'string') return `${name}: ${r}`;
    const have = new Set(r.quotes);
    const missing = expected.filter((q) => !have.has(q));
    const lacks = [
      !r.review && 'the review',
      r.review && r.role === 'none' && 'its admission',
      missing.length && `${missing.length} comments (${missing.slice(0, 4).join('; ')}${missing.length > 4 ? '; …' : ''})`,
      !missing.length && r.digest !== majority && 'the state the others hold',
    ].filter(Boolean);
    return lacks.length ? `${name} lacks ${lacks.join(', ')} — ${link('directory', r.dir)}; ${link('review room', r.room)}` : null;
  });
  const behind = lines.filter(Boolean);
  return `step "${step}" timed out; ${behind.length ? behind.join('\n  ') : 'every peer holds the same state (the step itself hung)'}`;
}

function mostCommon(values: string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
}

/** Runs the scenario once; throws StepTimeout with a diagnosis when a step misses its deadline. */
export async function runRoom(options: RoomOptions = {}): Promise<RoomRun> {
  const { members: memberCount = 9, commentsEach = 3, stepMs = 30_000 } = options;
  const signaling = await startSignalingServer({ port: 0, quiet: true });
  const peers: Peer[] = [];
  const steps: [string, number][] = [];
  let expected: string[] = [];

  async function step<T>(name: string, work: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => void diagnose(peers, expected, name).then((d) => reject(new StepTimeout(d))), stepMs);
    });
    try {
      return await Promise.race([work(), late]);
    } finally {
      clearTimeout(timer);
      steps.push([name, Math.round(performance.now() - t0)]);
    }
  }

  try {
    const chair = await startPeer('chair', signaling.url);
    peers.push(chair);
    peers.push(...(await Promise.all(Array.from({ length: memberCount }, (_, i) => startPeer(`m${i}`, signaling.url)))));
    const members = peers.slice(1);
    const { invite } = await chair.send('create-group');
    await chair.send('create-review');

    const t0 = performance.now();
    await step('members join the group', () => Promise.all(members.map((m) => m.send('join', { invite }))));
    await step('members find the review', () => Promise.all(members.map((m) => m.send('await-review'))));
    await step('the chair admits every member', () => Promise.all(members.map((m) => m.send('await-member'))));
    expected = peers.flatMap((p) => Array.from({ length: commentsEach }, (_, i) => `passage ${p.name} ${i}`));
    await step('everyone comments', () => Promise.all(peers.map((p) => p.send('comment', { n: commentsEach }))));
    await step('the chair sees every comment', async () => {
      while ((await chair.send<{ threads: number }>('state', { timeout: 0 })).threads < expected.length) await new Promise((r) => setTimeout(r, 100));
    });
    await step('the chair resolves, members reopen', async () => {
      await chair.send('resolve-all');
      await Promise.all(members.map((m) => m.send('reopen-own')));
    });
    const digests = await step('every peer holds the same state', async () => {
      for (;;) {
        const states = await Promise.all(peers.map((p) => p.send<{ threads: number; digest: string }>('state', { timeout: 0 })));
        if (new Set(states.map((s) => s.digest)).size === 1 && states[0].threads === expected.length) return states.map((s) => s.digest);
        await new Promise((r) => setTimeout(r, 200));
      }
    });
    const convergeMs = Math.round(performance.now() - t0);
    // The chair's resolves and the members' reopens both happened and were settled the same way.
    if (!/"open"/.test(digests[0]) || !/"resolved","noted"/.test(digests[0])) throw new Error(`unexpected final state: ${digests[0].slice(0, 300)}`);
    const reports = await Promise.all(peers.map((p) => p.send<Diagnosis>('diagnose')));
    const stalled = reports.reduce((n, r) => n + (r.dir?.stalled ?? 0) + (r.room?.stalled ?? 0), 0);
    return { steps, convergeMs, stalled };
  } finally {
    peers.forEach((p) => p.stop());
    await signaling.close();
  }
}
