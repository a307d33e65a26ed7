import preact from '@preact/preset-vite';
import { defineConfig } from 'wxt';

// See docs/architecture.md for what each entrypoint is for.
export default defineConfig({
  modules: ['@wxt-dev/i18n/module'],
  manifest: ({ browser }) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    // No host permissions at install: the overlay is injected on demand (activeTab).
    permissions: ['activeTab', 'scripting', 'storage', 'alarms', 'contextMenus', ...(browser === 'chrome' ? ['offscreen'] : [])],
    // Asked for one origin at a time, when the user picks "Always open on this site".
    // (Manifest V2, Firefox, lists origins among the optional permissions.)
    ...(browser === 'chrome' ? { optional_host_permissions: ['http://*/*', 'https://*/*'] } : { optional_permissions: ['http://*/*', 'https://*/*'] }),
    commands: {
      'comment-on-selection': { suggested_key: { default: 'Alt+Shift+M' }, description: '__MSG_commentOnSelection__' },
    },
    action: { default_title: '__MSG_actionTitle__' },
    ...(browser === 'firefox'
      ? { browser_specific_settings: { gecko: { id: 'margins@margins.invalid', data_collection_permissions: { required: ['none'] } } } }
      : {}),
  }),
  vite: () => ({ plugins: [preact()] }),
});
