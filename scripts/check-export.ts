/**
 * `npm run check:export`: the exported summary opens outside Margins. The DOCX of the fixture
 * review (the sample meeting summary, tests/support/export-fixture.ts) is converted to PDF by
 * LibreOffice headless, and its first page rendered to docs/screenshots/summary-docx.png; the HTML
 * summary is printed to PDF by Chromium (Print → Save as PDF, with its print stylesheet) and its
 * first page rendered to docs/screenshots/summary-html.png. Installs what it needs (Debian
 * libreoffice-writer-nogui, poppler-utils) when missing and run as root.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { exportReview } from '../lib/export';
import { meetingSummaryFixture } from '../tests/support/export-fixture';

const SHOTS = join(import.meta.dirname, '..', 'docs', 'screenshots');
const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

function install(): void {
  const missing = [has('soffice') ? '' : 'libreoffice-writer-nogui', has('pdftoppm') ? '' : 'poppler-utils'].filter(Boolean);
  if (!missing.length) return;
  if (process.getuid?.() !== 0) throw new Error(`check:export needs ${missing.join(' and ')} (Debian packages): install them, or run as root`);
  console.log(`installing ${missing.join(', ')}…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'inherit', env });
}

/** The first page of a PDF as a PNG, 100 dpi. */
function firstPage(pdf: string, png: string): void {
  execFileSync('pdftoppm', ['-png', '-r', '100', '-f', '1', '-l', '1', '-singlefile', pdf, png.replace(/\.png$/, '')]);
  if (statSync(png).size < 5_000) throw new Error(`${png} is nearly empty: the page did not render`);
}

install();
const work = mkdtempSync(join(tmpdir(), 'margins-export-'));
const { input } = await meetingSummaryFixture();

// DOCX → PDF with LibreOffice (its own profile in the work folder: nothing of the user's is touched).
const docx = join(work, 'summary.docx');
writeFileSync(docx, (await exportReview(input, 'docx')) as Uint8Array);
const started = performance.now();
execFileSync('soffice', [`-env:UserInstallation=file://${work}/lo-profile`, '--headless', '--convert-to', 'pdf', '--outdir', work, docx], { stdio: 'pipe', timeout: 180_000 });
const pdf = join(work, 'summary.pdf');
// Words only: the PDF's text wraps lines in table cells (and pdftotext drops some hyphens).
const pdfText = execFileSync('pdftotext', [pdf, '-']).toString().replace(/\s+/g, ' ');
for (const expected of ['Resolution of comments', 'participants agreed to the meeting being recorded', 'Accepted with changes', 'Annex II: Participants', 'Okafor, Amara']) {
  if (!pdfText.includes(expected)) throw new Error(`the PDF LibreOffice made of the DOCX lacks “${expected}”`);
}
firstPage(pdf, join(SHOTS, 'summary-docx.png'));
console.log(`DOCX → PDF in LibreOffice: ${((performance.now() - started) / 1000).toFixed(1)} s, ${readFileSync(pdf).length} bytes; first page → docs/screenshots/summary-docx.png`);

// HTML → PDF as the browser's Print → Save as PDF does it (print stylesheet, A4).
const html = join(work, 'summary.html');
writeFileSync(html, (await exportReview(input, 'html')) as string);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
try {
  const page = await browser.newPage();
  await page.goto(`file://${html}`);
  const printed = join(work, 'summary-html.pdf');
  await page.pdf({ path: printed, format: 'A4' });
  firstPage(printed, join(SHOTS, 'summary-html.png'));
  console.log('HTML → PDF in Chromium; first page → docs/screenshots/summary-html.png');
} finally {
  await browser.close();
}
