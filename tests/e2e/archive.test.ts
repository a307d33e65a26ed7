/**
 * A group whose chair and member are never online at the same time: everything goes through the
 * group server's archive peer (server/main.ts, its own process, reviews on disk). The member joins
 * while the chair is away; the chair, back later, admits them; the member comments alone; the
 * server restarts from its disk; the chair, alone, sees the comment and resolves it; the member,
 * alone, sees the decision.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, onTestFailed } from 'vitest';
import { serveDrafts, type DraftServer } from '../../scripts/serve-drafts.mjs';
import { startGroupServer, type GroupServer } from '../support/group-server';
import { createGroup, hubRequest, joinByLink, launch, newProfileDir, openOverlay, type Browser } from './browser';
import { firstComment } from './shadow';

const DRAFT = '/programme-framework-v1.html';
const data = mkdtempSync(join(tmpdir(), 'margins-server-'));
const profiles = { chair: newProfileDir(), member: newProfileDir() };
let drafts: DraftServer;
let server: GroupServer;
let open: Browser | null = null;

beforeAll(async () => {
  drafts = await serveDrafts();
  server = await startGroupServer({ data });
});
afterAll(async () => {
  await open?.close();
  await server?.stop();
  await drafts?.close();
});

/** Runs `fn` with only this person's browser open, and closes it after. */
async function alone<T>(who: keyof typeof profiles, fn: (browser: Browser) => Promise<T>): Promise<T> {
  open = await launch(profiles[who]);
  try {
    return await fn(open);
  } finally {
    await open.close();
    open = null;
  }
}

/** Waits until the archive holds at least `n` verified events. */
async function archived(n: number): Promise<void> {
  await expect.poll(async () => (await server.metrics()).archive.envelopes, { timeout: 30_000 }).toBeGreaterThanOrEqual(n);
}

it('carries a review between a chair and a member who are never online together', async () => {
  onTestFailed(() => console.log(`group server log:\n${server.log()}`));
  // The chair sets up the group on the server, and the server joins it as a device of the group.
  const invite = await alone('chair', async (chair) => {
    const { link, code } = await createGroup(chair, 'MAG working group', server.url);
    await server.restart({ join: code });
    // The chair starts the review; the archive is admitted and takes it.
    const page = await chair.context.newPage();
    const ui = await openOverlay(chair, page, drafts.origin + DRAFT);
    await firstComment(page, ui, 'The host country requested further input', 'Ana Chair', 'Whose input?');
    const members = async () => (await hubRequest(chair, 'groups'))[0].members.map((m: { name: string }) => m.name);
    await expect.poll(members, { timeout: 30_000 }).toEqual(['Group server (archive)']);
    await archived(3); // the creation, the comment, the archive's grant
    return link;
  });

  // The member joins with nobody else but the server online: the request waits there.
  await alone('member', async (member) => {
    await joinByLink(member, invite, 'Bo Member', 'MAG working group');
    await expect.poll(async () => (await server.metrics()).archive.waiting, { timeout: 30_000 }).toBe(1);
  });
  const before = (await server.metrics()).archive.envelopes;

  // The chair comes back: their hub admits the member; the grant reaches the archive.
  await alone('chair', async (chair) => {
    const members = async () => (await hubRequest(chair, 'groups'))[0].members.map((m: { name: string }) => m.name).sort();
    await expect.poll(members, { timeout: 30_000 }).toEqual(['Bo Member', 'Group server (archive)']);
    await archived(before + 1);
  });

  // The member, alone, finds the review and comments.
  const commented = await alone('member', async (member) => {
    const page = await member.context.newPage();
    const ui = await openOverlay(member, page, drafts.origin + DRAFT);
    await ui.waitForText('.thread .body', /Whose input\?/, 30_000);
    const n = (await server.metrics()).archive.envelopes;
    await ui.comment('Best Practice Forums proposed to strengthen the meeting calendar', 'Please date this.');
    await ui.waitFor('.thread', { n: 2, exact: true });
    await archived(n + 1);
    return n + 1;
  });

  // The server restarts: what it holds comes back from its disk.
  await server.restart();
  expect((await server.metrics()).archive.envelopes).toBeGreaterThanOrEqual(commented);

  // The chair, alone, sees the member's comment and resolves it.
  await alone('chair', async (chair) => {
    const page = await chair.context.newPage();
    const ui = await openOverlay(chair, page, drafts.origin + DRAFT);
    await ui.waitForText('.thread .body', /Please date this\./, 30_000);
    const thread = '.thread[aria-label^="Thread on “Best Practice Forums"]';
    await ui.click(`${thread} .resolve-button`);
    await ui.type('.resolve textarea', 'Dated in v2.');
    await ui.click('.resolve button.primary');
    await ui.waitForText(`${thread} .status-badge`, /^resolved$/i);
    await archived(commented + 1);
  });

  // The member, alone, sees the decision.
  await alone('member', async (member) => {
    const page = await member.context.newPage();
    const ui = await openOverlay(member, page, drafts.origin + DRAFT);
    await ui.waitForText('.thread .resolution', /Dated in v2\./, 30_000);
  });
});
