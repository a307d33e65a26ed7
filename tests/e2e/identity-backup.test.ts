/**
 * A chair's profile is lost (issue 14): the passphrase-sealed backup downloaded from the options
 * page brings the same key, name and group back in a new profile, through the same page, in real
 * Chromium. The restored key survives a restart.
 */
import { readFileSync, rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hubRequest, launch, type Browser } from './browser';

const PASS = 'four words of passphrase';

async function options(browser: Browser) {
  const page = await browser.context.newPage();
  await page.goto(`chrome-extension://${browser.extensionId}/options.html`);
  await page.locator('#identity-heading').waitFor();
  return page;
}

describe('identity backup', () => {
  it('restores a lost chair’s key, name and group into a new profile', async () => {
    const lost = await launch();
    await hubRequest(lost, 'set-name', { name: 'Ana Chair' });
    const { id: group } = await hubRequest(lost, 'create-group', { name: 'MAG WG', signaling: ['ws://127.0.0.1:9'], iceServers: [] });
    const who = await hubRequest(lost, 'whoami');

    const page = await options(lost);
    const shown = await page.locator('.identity .fingerprint').innerText();
    await page.fill('input[name=passphrase]', PASS);
    await page.fill('input[name=passphrase-again]', PASS + ' typo');
    await page.click('.backup button[type=submit]');
    await page.locator('.backup [role=alert]').getByText('The two passphrases differ.').waitFor();
    await page.fill('input[name=passphrase-again]', PASS);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('.backup button[type=submit]')]);
    expect(download.suggestedFilename()).toMatch(/^margins-identity-ana-chair-\d{4}-\d{2}-\d{2}\.json$/);
    const file = readFileSync((await download.path())!, 'utf8');
    expect(JSON.parse(file)).toMatchObject({ format: 'margins-identity', version: 1 });
    await page.locator('.backup [role=status]').getByText(/Backup downloaded/).waitFor();
    await lost.close();
    rmSync(lost.profile, { recursive: true, force: true });

    let fresh = await launch();
    try {
      expect((await hubRequest(fresh, 'whoami')).publicKey).not.toBe(who.publicKey);
      const restore = await options(fresh);
      await restore.setInputFiles('input[name=backup]', { name: 'backup.json', mimeType: 'application/json', buffer: Buffer.from(file) });
      await restore.fill('input[name=restore-passphrase]', 'not the passphrase');
      await restore.click('.restore button[type=submit]');
      await restore.locator('.restore [role=alert]').getByText(/does not open the backup/).waitFor();
      await restore.fill('input[name=restore-passphrase]', PASS);
      await restore.click('.restore button[type=submit]');
      await restore.locator('.restore [role=status]').getByText(/^Restored/).waitFor();
      // The hub restarted with the restored key; the page shows it once the hub answers again.
      await expect.poll(() => restore.locator('.identity .fingerprint').innerText(), { timeout: 15_000 }).toBe(shown);
      expect(await hubRequest(fresh, 'whoami')).toEqual(who);
      const groups = await hubRequest(fresh, 'groups');
      expect(groups).toMatchObject([{ id: group, name: 'MAG WG', chair: true }]);

      await fresh.close();
      fresh = await launch(fresh.profile);
      expect(await hubRequest(fresh, 'whoami')).toEqual(who);
    } finally {
      await fresh.close();
    }
  });
});
