/**
 * `npm run check:w3c`: validates the JSON-LD export against the W3C Web Annotation test suite's
 * MUST assertions (JSON Schema draft-04, with Ajv): every annotation of the export against
 * annotationMusts.test, the collection against collectionMusts.test. The export is the fixture
 * review of the sample meeting summary, plus a review with no threads (a collection without a page).
 *
 * The test suite is not part of this repository: set MARGINS_W3C_TESTS to its folder, or keep it
 * at ../shared/w3c-web-annotation-tests beside the clone (where CI machines have it; machines of
 * this kind also keep it at /work/shared).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { exportReview } from '../lib/export';
import { meetingSummaryFixture } from '../tests/support/export-fixture';

// Where the suite may be: given, beside the clone (../shared), or where machines of this kind keep it.
const candidates = process.env.MARGINS_W3C_TESTS
  ? [resolve(process.env.MARGINS_W3C_TESTS)]
  : [join(import.meta.dirname, '..', '..', 'shared', 'w3c-web-annotation-tests'), '/work/shared/w3c-web-annotation-tests'];
const found = candidates.find((dir) => existsSync(join(dir, 'definitions')));
if (!found) {
  console.error(`check:w3c: the W3C Web Annotation tests are not at ${candidates.join(' or ')}. Set MARGINS_W3C_TESTS to the folder that holds definitions/, annotations/ and collections/.`);
  process.exit(2);
}
const root: string = found;

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
for (const file of readdirSync(join(root, 'definitions')).filter((f) => f.endsWith('.json'))) ajv.addSchema(JSON.parse(readFileSync(join(root, 'definitions', file), 'utf8')));

interface Assertion {
  file: string;
  title: string;
  validate: ReturnType<Ajv['compile']>;
}

function assertions(test: string): Assertion[] {
  const suite = JSON.parse(readFileSync(join(root, test), 'utf8')) as { assertions: string[] };
  return suite.assertions.map((file) => {
    const schema = JSON.parse(readFileSync(join(root, file), 'utf8'));
    if (schema.expectedResult !== 'valid') throw new Error(`${file}: expected result ${schema.expectedResult} is not handled`);
    // Each assertion file is compiled on its own, under its file name (ids repeat across files).
    const { id: _, ...rest } = schema;
    return { file, title: schema.title as string, validate: ajv.compile(rest) };
  });
}

const annotationMusts = assertions('annotations/annotationMusts.test');
const collectionMusts = assertions('collections/collectionMusts.test');

// The check must be able to fail: an annotation without @context and with both body and bodyValue.
const broken = { id: 'urn:x:1', type: 'Annotation', body: { type: 'TextualBody', value: 'x' }, bodyValue: 'x', target: 'http://example.org/' };
if (annotationMusts.every((a) => a.validate(broken))) throw new Error('check:w3c: a broken annotation passed every assertion: the schemas are not loaded right');

const fixture = await meetingSummaryFixture();
const empty = { ...fixture.input, state: { ...fixture.input.state, threads: [] } };
let failures = 0;
let checks = 0;
for (const [name, input] of [
  ['meeting-summary review', fixture.input],
  ['review with no threads', empty],
] as const) {
  const collection = JSON.parse((await exportReview(input, 'w3c')) as string);
  const items: unknown[] = collection.first?.items ?? [];
  for (const a of collectionMusts) {
    checks++;
    if (!a.validate(collection)) {
      failures++;
      console.error(`FAIL ${name}: collection: ${a.file}\n  ${ajv.errorsText(a.validate.errors)}`);
    }
  }
  items.forEach((item, i) => {
    for (const a of annotationMusts) {
      checks++;
      if (!a.validate(item)) {
        failures++;
        console.error(`FAIL ${name}: annotation ${i} (${(item as { id?: string }).id}): ${a.file}\n  ${ajv.errorsText(a.validate.errors)}`);
      }
    }
  });
  console.log(`${name}: 1 collection, ${items.length} annotations`);
}
if (checks === 0) throw new Error('check:w3c checked nothing');
console.log(`${checks - failures} of ${checks} MUST checks passed (${annotationMusts.length} per annotation, ${collectionMusts.length} per collection)`);
process.exit(failures ? 1 : 0);
