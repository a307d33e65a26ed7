/**
 * The conformance vectors (docs/conformance/, specified in docs/data-model.md): each is a set of
 * envelopes and the exact state the fold makes of them. Another implementation proves it folds the
 * same by passing these; this one proves the vectors still describe it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { conformanceState, type ConformanceVector } from './helpers';

const DIR = join(import.meta.dirname, '..', '..', 'docs', 'conformance');
const files = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();

describe('conformance vectors', () => {
  it('there are at least 50, each named for what it pins', () => {
    expect(files.length).toBeGreaterThanOrEqual(50);
    for (const f of files) expect(f).toMatch(/^\d{3}-[a-z0-9-]+\.json$/);
  });

  for (const file of files) {
    const vector = JSON.parse(readFileSync(join(DIR, file), 'utf8')) as ConformanceVector;
    it(`${vector.name}: ${vector.description}`, async () => {
      const state = await conformanceState(vector.review, vector.envelopes, vector.now === undefined ? {} : { now: vector.now });
      expect(JSON.parse(JSON.stringify(state))).toEqual(vector.expected);
    });
  }
});
