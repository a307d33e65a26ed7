/**
 * One signature per author's chain instead of one per event (issue 14). Each event names its
 * author's previous event by its hash (`prev`), and an event's id is the hash of its signed text.
 * So a valid signature on an event vouches for the exact text of the event it names, and through
 * it for the whole chain behind: like a signed commit for its history. A newcomer receiving ten
 * thousand events from a dozen authors checks a few signatures and hashes the rest (which it does
 * anyway), instead of spending a quarter of a millisecond of WebCrypto on each.
 *
 * Only an event of the same author counts: nobody vouches for another's words. An event whose
 * successor's signature fails is checked on its own, and so is every copy of a text that comes
 * more than once (`authenticate`'s `duplicate`).
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
 * `duplicate(i)`: the text of link i is already held under another envelope (the caller's
 * knowledge): only its own signature decides it.
 */
export async function authenticate(
  links: ChainLink[],
  named: (by: string, id: string) => boolean,
  verify: (indices: number[]) => Promise<boolean[]>,
  duplicate: (i: number) => boolean = () => false,
): Promise<Authenticity[]> {
  const status: (Authenticity | undefined)[] = new Array(links.length);
  /** Links that only their own signature can decide. */
  const pending = new Set<number>();
  const byKey = new Map<string, number[]>();
  links.forEach((l, i) => {
    const k = key(l.by, l.id);
    const list = byKey.get(k);
    if (list) list.push(i);
    else byKey.set(k, [i]);
  });

  // From an authentic link, back along its author's chain: each text it names is authentic too.
  const reach = (from: number[]) => {
    const stack = [...from];
    while (stack.length) {
      const l = links[stack.pop()!];
      if (l.prev === null) continue;
      for (const j of byKey.get(key(l.by, l.prev)) ?? []) {
        if (status[j] !== undefined || pending.has(j)) continue;
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

  // Two copies of one text (an author's, and one under another signature) are each checked on
  // their own signature: a chain vouches for a text, not for whichever envelope carries it.
  for (const indices of byKey.values()) if (indices.length > 1) for (const i of indices) pending.add(i);
  links.forEach((_, i) => duplicate(i) && pending.add(i));
  const early = links.map((l, i) => i).filter((i) => !pending.has(i) && named(links[i].by, links[i].id));
  early.forEach((i) => (status[i] = 'chained'));
  reach(early);
  const namedHere = new Set(links.filter((l) => l.prev !== null).map((l) => key(l.by, l.prev!)));
  // The newest of each chain first; then, in one batch, whatever they did not reach (a failed
  // signature's predecessors among them). Two rounds whatever a peer sends: a forged chain costs
  // one batch of checks, as it did before chains, not one round per link.
  await check(links.map((_, i) => i).filter((i) => status[i] === undefined && !namedHere.has(key(links[i].by, links[i].id))));
  await check(links.map((_, i) => i).filter((i) => status[i] === undefined));
  return status as Authenticity[];
}
