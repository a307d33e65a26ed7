#!/usr/bin/env node
// Chrome refuses to load a content script whose file it does not take for UTF-8, and its check
// rejects Unicode noncharacters (U+FDD0–U+FDEF, U+xFFFE, U+xFFFF) that the bundler writes out
// literally from an escape in the source ('\uffff'). The page then gets no overlay at all, and
// every browser test times out waiting for it: this names the cause instead.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const found = [];
for (const target of ['chrome-mv3', 'firefox-mv2']) {
  const dir = join('.output', target, 'content-scripts');
  if (!existsSync(dir)) continue;
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.js'))) {
    const text = readFileSync(join(dir, name), 'utf8');
    for (const ch of text) {
      const code = ch.codePointAt(0);
      if ((code >= 0xfdd0 && code <= 0xfdef) || (code & 0xfffe) === 0xfffe) {
        found.push(`${join(dir, name)}: U+${code.toString(16).toUpperCase()}`);
        break;
      }
    }
  }
}
if (found.length) {
  console.error(`A content script holds a Unicode noncharacter, so Chrome will not load it:\n  ${found.join('\n  ')}\nBuild such characters at run time (String.fromCharCode) instead of writing them in the source.`);
  process.exit(1);
}
