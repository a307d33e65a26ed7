/**
 * One signature per author's chain instead of one per event (issue 14). Each event names its
 * author's previous event by its hash (`prev`), and an event's id is the hash of its signed text.
 * So a valid signature on an event vouches for the exact text of the event it names, and through
 * it for the whole chain behind: like a signed commit for its history. A newcomer receiving ten
 * thousand events from a dozen authors checks a few signatures and hashes the rest (which it does
 * anyway), instead of spending a quarter of a millisecond of WebCrypto on each.
 *
 * Only an event of the same author counts: nobody vouches for another's words. An event whose
 * successor's signature fails is checked on its own.
 */

export interface ChainLink {
  id: string;
  by: string;
  prev: string | null;
}

/** `signed`: its own signature verified; `chained`: its text vouched for by its author's later, authentic event; `bad`: its signature fails and nothing vouches for it. */
export type Authenticity = 'signed' | 'chained' | 'bad';

const key = (by: string, id: string) => `${by} ${id}`;

/**
 * Which of `links` are authentic, asking `verify` for the fewest signatures: first those no other
 * link of the same author names (the chains' newest), then whatever those did not reach.
 * `named(by, id)`: an authentic event seen earlier, of author `by`, names `id` as its `prev`.
 */
export async function authenticate(
  links: ChainLink[],
  named: (by: string, id: string) => boolean,
  verify: (indices: number[]) => Promise<boolean[]>,
): Promise<Authenticity[]> {
  const status: (Authenticity | undefined)[] = new Array(links.length);
  const byKey = new Map<string, number[]>();
  links.forEach((l, i) => byKey.set(key(l.by, l.id), [...(byKey.get(key(l.by, l.id)) ?? []), i]));

  // From an authentic link, back along its author's chain: each text it names is authentic too.
  const reach = (from: number[]) => {
    const stack = [...from];
    while (stack.length) {
      const l = links[stack.pop()!];
      if (l.prev === null) continue;
      for (const j of byKey.get(key(l.by, l.prev)) ?? []) {
        if (status[j] !== undefined) continue;
        status[j] = 'chained';
        stack.push(j);
      }
    }
  };
  const check = async (indices: number[]) => {
    if (!indices.length) return;
    const results = await verify(indices);
    indices.forEach((i, k) => (status[i] = results[k] ? 'signed' : 'bad'));
    reach(indices.filter((i) => status[i] === 'signed'));
  };

  const early = links.map((l, i) => i).filter((i) => named(links[i].by, links[i].id));
  early.forEach((i) => (status[i] = 'chained'));
  reach(early);
  // Rounds: each checks the newest of what is still open (links no open link of the same author
  // names); a failed one leaves the link it named to the next round. Each round settles at least one.
  for (;;) {
    const open = links.map((_, i) => i).filter((i) => status[i] === undefined);
    if (!open.length) return status as Authenticity[];
    const namedByOpen = new Set(open.filter((i) => links[i].prev !== null).map((i) => key(links[i].by, links[i].prev!)));
    const newest = open.filter((i) => !namedByOpen.has(key(links[i].by, links[i].id)));
    await check(newest.length ? newest : open);
  }
}
