import preact from '@preact/preset-vite';
import { defineConfig } from 'wxt';
import { GECKO_ID } from './lib/extension/gecko-id';


// See docs/architecture.md for what each entrypoint is for.
export default defineConfig({
  modules: ['@wxt-dev/i18n/module'],
  manifest: ({ browser }) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    // No host permissions at install: the overlay is injected on demand (activeTab).
    // alarms: reminders before a review period closes (the hub decides, the background shows them).
    // sidePanel: the review itself is shown there, beside the draft (Firefox's sidebar needs none).
    permissions: ['activeTab', 'scripting', 'storage', 'contextMenus', 'alarms', ...(browser === 'chrome' ? ['offscreen', 'sidePanel'] : [])],
    // runtime.getContexts (finding the hub's offscreen document) arrived in Chrome 116.
    ...(browser === 'chrome' ? { minimum_chrome_version: '116' } : {}),
    // Asked for one origin at a time, when the user picks "Always open on this site".
    // (Manifest V2, Firefox, lists origins among the optional permissions.)
    // Notifications are asked for when someone turns reminders on, not at install.
    ...(browser === 'chrome'
      ? { optional_host_permissions: ['http://*/*', 'https://*/*'], optional_permissions: ['notifications'] }
      : { optional_permissions: ['http://*/*', 'https://*/*', 'notifications'] }),
    commands: {
      'comment-on-selection': { suggested_key: { default: 'Alt+Shift+M' }, description: '__MSG_commentOnSelection__' },
    },
    action: { default_title: '__MSG_actionTitle__' },
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: GECKO_ID,
              // data_collection_permissions is read from Firefox 140 on.
              strict_min_version: '140.0',
              // What reaches other reviewers' browsers (docs/privacy.md): the name chosen, comments,
              // quoted passages of the draft, and the draft's address. Nothing goes to us.
              data_collection_permissions: { required: ['personallyIdentifyingInfo', 'personalCommunications', 'websiteContent', 'browsingActivity'] },
            },
            // Firefox for Android reads data_collection_permissions from 142 on.
            gecko_android: { strict_min_version: '142.0' },
          },
        }
      : {}),
  }),
  vite: () => ({ plugins: [preact()] }),
  hooks: {
    // WXT takes the toolbar button's title from the popup's <title> ("Margins"), over the manifest
    // given above: put the localized one back.
    'build:manifestGenerated': (_wxt, manifest) => {
      for (const action of [manifest.action, manifest.browser_action]) if (action) action.default_title = '__MSG_actionTitle__';
    },
  },
});
