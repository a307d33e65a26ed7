/**
 * Ten Node peers (the real hub over @roamhq/wrtc, one process each) in one review room:
 * concurrent comments, a chair resolving while members reopen, all converging to one state.
 * Each step has its own deadline, and a step that misses it names the peers that are behind and
 * what they lack (tests/support/room-scenario.ts). `npm run stress:room` runs it many times.
 */
import { describe, expect, it } from 'vitest';
import { runRoom } from '../support/room-scenario';

describe('a room of ten Node peers', () => {
  it('converges on identical state after concurrent comments, resolves and reopens', async () => {
    const run = await runRoom({ members: 9, commentsEach: 3, stepMs: 30_000 });
    expect(run.steps.map(([name]) => name)).toContain('every peer holds the same state');
  }, 240_000);
});
