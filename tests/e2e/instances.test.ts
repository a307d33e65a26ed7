/**
 * Two group-server instances behind one address (a load balancer), sharing their rooms through
 * Redis (Debian's redis-server): the chair's browser reaches one instance, the member's the other,
 * and each sees the other's comment. Without the shared Redis they would never meet.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { serveDrafts, type DraftServer } from '../../scripts/serve-drafts.mjs';
import { startSignalingServer, type SignalingServer } from '../../server/signaling-server.mjs';
import { startBalancer, type Balancer } from '../support/balancer';
import { startRedis } from '../support/redis';
import { createGroup, joinByLink, launch, openOverlay, type Browser } from './browser';
import { firstComment } from './shadow';

const DRAFT = '/programme-framework-v1.html';
let drafts: DraftServer;
let redis: { url: string; stop(): void };
let instances: SignalingServer[] = [];
let balancer: Balancer;
let chair: Browser;
let member: Browser;

beforeAll(async () => {
  drafts = await serveDrafts();
  redis = await startRedis();
  instances = await Promise.all([0, 1].map(() => startSignalingServer({ port: 0, quiet: true, redis: redis.url })));
  balancer = await startBalancer(instances.map((i) => i.port));
});
afterAll(async () => {
  await Promise.all([chair?.close(), member?.close()]);
  await balancer?.close();
  await Promise.all(instances.map((i) => i.close()));
  redis?.stop();
  await drafts?.close();
});

it('lets a chair and a member connected to different instances review together', async () => {
  // Everything the chair's browser opens goes to the first instance…
  balancer.pin(0);
  chair = await launch();
  const { link } = await createGroup(chair, 'MAG working group', balancer.url);
  const chairPage = await chair.context.newPage();
  const chairUi = await openOverlay(chair, chairPage, drafts.origin + DRAFT);
  await firstComment(chairPage, chairUi, 'The host country requested further input', 'Ana Chair', 'Whose input?');
  await expect.poll(() => instances[0].stats().connections).toBe(1);

  // …and everything the member's to the second.
  balancer.pin(1);
  member = await launch();
  await joinByLink(member, link, 'Bo Member', 'MAG working group');
  const memberPage = await member.context.newPage();
  const memberUi = await openOverlay(member, memberPage, drafts.origin + DRAFT);
  await memberUi.waitForText('.thread .body', /Whose input\?/, 45_000);
  await memberUi.comment('Best Practice Forums proposed to strengthen the meeting calendar', 'Please date this.');
  await chairUi.waitForText('.thread .body', /Please date this\./, 45_000);
  // Each browser held its one signaling connection on its own instance throughout.
  expect(instances.map((i) => i.stats().connections)).toEqual([1, 1]);
});
