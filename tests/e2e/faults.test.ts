/**
 * Storage faults in real Chromium (issue 14), each ending in a restart that must find the same
 * key, the review and every acknowledged comment:
 * - the profile's database is deleted while Margins runs (as clearing browsing data does, here
 *   through the DevTools protocol); comments written after it are acknowledged only once the hub
 *   has written back what it holds;
 * - the disk fills up (the profile lives on a small tmpfs the test fills with a file) and is freed
 *   again; what was asked for meanwhile is held, shown as not saved, and saved once space is back.
 *   Chromium leaves a torn record in its store's log after the failed write and goes on appending
 *   after it; its next start-up read that as corruption and threw the store away, key and all,
 *   until the hub learned to reopen the store and read it back (Hub.confirmByReopening).
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it, onTestFinished } from 'vitest';
import { hubRequest, launch, openOverlay, useOneBrowser } from './browser';
import { firstComment, type Panel } from './shadow';

let page: Page;
let ui: Panel;
const env = useOneBrowser();

const quote = (exact: string) => ({ quote: { type: 'TextQuoteSelector', exact, prefix: '', suffix: '' } });

describe('storage faults', () => {
  it('keeps the key, the review and every acknowledged comment when the database is deleted under it', async () => {
    page = await env.browser.context.newPage();
    ui = await openOverlay(env.browser, page, env.drafts.origin + '/programme-framework-v1.html');
    await firstComment(page, ui, 'The host country requested further input', 'Ana Chair', 'Before the deletion.');
    const [{ id: review }] = await hubRequest(env.browser, 'list');
    const { publicKey } = await hubRequest(env.browser, 'whoami');

    const devtools = await env.browser.context.newPage();
    await devtools.goto(`chrome-extension://${env.browser.extensionId}/options.html`);
    const cdp = await env.browser.context.newCDPSession(devtools);
    await cdp.send('Storage.clearDataForOrigin' as never, { origin: `chrome-extension://${env.browser.extensionId}`, storageTypes: 'indexeddb' } as never);
    for (let i = 1; i <= 3; i++) {
      await hubRequest(env.browser, 'append', { review, body: { type: 'comment.add', anchor: quote('host country'), body: `After the deletion ${i}.` } });
    }
    // The sidebar, which synced through all this, counts them; its status line is the comment
    // count, not a storage problem (which would take its place).
    await ui.waitForText('.status', /^4 open comments/, 30_000);

    await env.browser.close();
    env.browser = await launch(env.browser.profile);
    expect((await hubRequest(env.browser, 'whoami')).publicKey).toBe(publicKey);
    const { state } = await hubRequest(env.browser, 'export-input', { review });
    expect(state.threads.map((t: { comments: { body: string }[] }) => t.comments[0].body).sort()).toEqual([
      'After the deletion 1.',
      'After the deletion 2.',
      'After the deletion 3.',
      'Before the deletion.',
    ]);
    expect(state.members[publicKey]).toMatchObject({ role: 'chair', name: 'Ana Chair' });
  });

  it('holds what is written while the disk is full and saves it once space is freed', async () => {
    const disk = smallDisk(160);
    let browser = await launch(disk.dir);
    onTestFinished(async () => {
      await browser.close().catch(() => {}); // closed already unless the test failed
      disk.unmount();
    });
    const draft = await browser.context.newPage();
    const panel = await openOverlay(browser, draft, env.drafts.origin + '/programme-framework-v1.html');
    await firstComment(draft, panel, 'The host country requested further input', 'Ana Chair', 'Before the disk filled.');
    const [{ id: review }] = await hubRequest(browser, 'list');
    const { publicKey } = await hubRequest(browser, 'whoami');

    disk.fill();
    // Asked for while the disk is full: a few may still fit where the database had room; the rest
    // are held, not acknowledged, and the panel says so.
    const acknowledged: string[] = [];
    const asked = Array.from({ length: 30 }, (_, k) => k + 1).map((i) =>
      hubRequest(browser, 'append', { review, body: { type: 'comment.add', anchor: quote('host country'), body: `While the disk was full ${i}.` + ' padding'.repeat(300) } }).then(() => {
        acknowledged.push(`While the disk was full ${i}.`);
      }),
    );
    const status = await panel.waitForText('.status', /disk is full|Saving failed|database/, 60_000);
    expect(status).toMatch(/in memory/);
    expect(acknowledged.length).toBeLessThan(30);

    disk.free();
    await Promise.all(asked);
    await panel.waitForText('.status', /^31 open comments/, 60_000);

    await browser.close();
    browser = await launch(disk.dir);
    expect((await hubRequest(browser, 'whoami')).publicKey).toBe(publicKey);
    const { state } = await hubRequest(browser, 'export-input', { review });
    const bodies = state.threads.map((t: { comments: { body: string }[] }) => t.comments[0].body.replace(/ padding.*/, ''));
    expect(bodies.sort()).toEqual(['Before the disk filled.', ...asked.map((_, k) => `While the disk was full ${k + 1}.`)].sort());
  });
});

/** A tmpfs of `megabytes` for a profile (the test runs as root, as CI does), and a file that fills it. */
function smallDisk(megabytes: number) {
  const dir = mkdtempSync(join(tmpdir(), 'margins-small-disk-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}m`, 'tmpfs', dir]);
  const filler = join(dir, 'filler');
  return {
    dir,
    /** Writes zeros until the disk refuses another byte. */
    fill() {
      const fd = openSync(filler, 'w');
      try {
        for (const size of [1 << 20, 4096, 1]) {
          const block = Buffer.alloc(size);
          try {
            for (;;) writeSync(fd, block);
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
          }
        }
      } finally {
        closeSync(fd);
      }
    },
    free: () => rmSync(filler, { force: true }),
    unmount() {
      execFileSync('umount', ['-l', dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
