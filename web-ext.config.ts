import { defineWebExtConfig } from 'wxt';

// `npm run dev` (WXT's runner, reloads on change): Debian's browsers unless told otherwise. Serve
// the sample drafts alongside with `npm start` or open any page.
export default defineWebExtConfig({
  binaries: {
    chrome: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    firefox: process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr',
  },
  chromiumArgs: ['--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
