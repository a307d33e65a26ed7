/**
 * Storage faults in real Chromium (issue 14): the profile's database is deleted while Margins runs
 * (as clearing browsing data does, here through the DevTools protocol); comments written after
 * it are acknowledged only once the hub has written back what it holds, and after a restart the
 * profile has the same key, the review and every acknowledged comment.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
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
});
