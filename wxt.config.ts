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
    permissions: ['activeTab', 'scripting', 'storage', 'alarms', ...(browser === 'chrome' ? ['offscreen'] : [])],
    action: { default_title: '__MSG_actionTitle__' },
    ...(browser === 'firefox'
      ? { browser_specific_settings: { gecko: { id: 'margins@margins.invalid', data_collection_permissions: { required: ['none'] } } } }
      : {}),
  }),
  vite: () => ({ plugins: [preact()] }),
});
