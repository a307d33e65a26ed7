/** The sample-draft server behind `npm start` and the browser tests. */
import { afterAll, describe, expect, it } from 'vitest';
import { serveDrafts } from '../../scripts/serve-drafts.mjs';

const server = await serveDrafts();
afterAll(() => server.close());
const get = async (path: string) => {
  const res = await fetch(server.origin + path);
  return { status: res.status, text: await res.text() };
};

describe('the sample-draft server', () => {
  it('lists the samples at its root, each linked by title', async () => {
    const { status, text } = await get('/');
    expect(status).toBe(200);
    expect(text).toContain('<a href="/programme-framework-v1.html">Proposal for an IGF Programme Framework</a>');
    expect(text).toContain('mag-wg-mwp-2018-08-15.html');
  });

  it('serves a sample from the repository', async () => {
    const { status, text } = await get('/programme-framework-v1.html');
    expect(status).toBe(200);
    expect(text).toContain('<title>Proposal for an IGF Programme Framework</title>');
  });

  it('answers 404 for a missing draft, a path outside the samples or another file type, and keeps serving', async () => {
    for (const path of ['/no-such-draft.html', '/../package.json', '/%2e%2e/README.md', '/README.md', '/%E0%A4%A.html']) {
      expect((await get(path)).status, path).toBeGreaterThanOrEqual(400);
    }
    expect((await get('/programme-framework-v2.html')).status).toBe(200);
  });

  it('serves pages registered at run time', async () => {
    server.route('/hostile.html', '<p>hello</p>');
    expect(await get('/hostile.html')).toEqual({ status: 200, text: '<p>hello</p>' });
  });
});
