/**
 * Ten Node peers (the real hub over @roamhq/wrtc, one process each) in one review room:
 * concurrent comments, a chair resolving while members reopen, all converging to one state.
 * Each step has its own deadline, and a step that misses it names the peers that are behind and
 * what they lack (tests/support/room-scenario.ts). `npm run stress:room` runs it many times.
 */
import { describe, expect } from 'vitest';
import { peerTest } from '../support/peers';
import { runRoom } from '../support/room-scenario';

describe('a room of ten Node peers', () => {
  peerTest('converges on identical state after concurrent comments, resolves and reopens', async () => {
    // runRoom throws, naming who lacks what, when a step misses its deadline or the final state
    // is not the same everywhere or lacks the chair's resolves or the members' reopens.
    const run = await runRoom({ members: 9, commentsEach: 3, stepMs: 30_000 });
    expect(run.steps).toHaveLength(7);
  }, 240_000);
});
