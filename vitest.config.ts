import { defineConfig } from 'vitest/config';

// Unit tests for lib/ run in Node; browser behaviour is covered by tests/e2e with the built extension.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
          // Real Dexie over an in-memory IndexedDB; the e2e tests use the browser's own.
          setupFiles: ['fake-indexeddb/auto'],
        },
      },
    ],
  },
});
