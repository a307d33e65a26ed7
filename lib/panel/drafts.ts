/**
 * Unsent composer text, kept per draft page so a reload, a crash or a closed tab loses nothing.
 * Stored in the extension's own storage (the page cannot read it), one entry per page, loaded
 * once and written behind the typing. A new comment keeps its anchor too, so the composer comes
 * back on the same passage.
 */
import type { Anchor } from '../anchoring';

/** The part of `browser.storage.local` used here; an in-memory stand-in works in tests. */
export interface StorageArea {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(key: string): Promise<void>;
}

export interface SavedDraft {
  text: string;
  anchor?: Anchor;
  /** A choice made with the text: the disposition of a resolution note. */
  choice?: string;
}

/** Which composer: a new comment, a reply to a thread, an edit of a comment, a thread's resolution. */
export type DraftSlot = 'new' | `reply:${string}` | `edit:${string}` | `resolve:${string}`;

const WRITE_DELAY_MS = 250;

function samePassage(a: Anchor | undefined, b: Anchor): boolean {
  return !!a && a.quote.exact === b.quote.exact && a.position?.start === b.position?.start;
}
const MAX_TEXT = 20_000;

/**
 * Where a new comment's unsent text waits while another passage is commented on: the 'new' slot
 * is the composer open now (a reload reopens it), these keep the others'. At most PARKED_MAX, the
 * oldest let go first.
 */
const parkedFor = (a: Anchor) => `new@${a.position?.start ?? ''}:${a.quote.exact.slice(0, 200)}`;
const PARKED_MAX = 20;

export class ComposerDrafts {
  private drafts = new Map<string, SavedDraft>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly key: string;

  private constructor(
    private area: StorageArea,
    page: string,
  ) {
    this.key = `drafts:${page}`;
  }

  static async load(area: StorageArea, page: string): Promise<ComposerDrafts> {
    const drafts = new ComposerDrafts(area, page);
    try {
      const stored = (await area.get(drafts.key))[drafts.key];
      if (stored && typeof stored === 'object') {
        for (const [slot, value] of Object.entries(stored as Record<string, unknown>)) {
          const d = value as SavedDraft;
          if (typeof d?.text === 'string') drafts.drafts.set(slot, { text: d.text.slice(0, MAX_TEXT), anchor: d.anchor, ...(typeof d.choice === 'string' ? { choice: d.choice } : {}) });
        }
      }
    } catch {
      // Unreadable drafts are not worth failing the overlay for: start empty.
    }
    return drafts;
  }

  get(slot: DraftSlot): SavedDraft | undefined {
    return this.drafts.get(slot);
  }

  /**
   * Saved text for this composer; a new comment's, the text written on that same passage. A new
   * comment's parked text comes back into the slot as its composer opens, so that sending it (which
   * empties the slot) sends that draft and leaves every other passage's.
   */
  textFor(slot: DraftSlot, anchor?: Anchor): string | undefined {
    const saved = this.drafts.get(slot);
    if (saved && (!anchor || samePassage(saved.anchor, anchor))) return saved.text;
    const parked = slot === 'new' && anchor ? this.drafts.get(parkedFor(anchor)) : undefined;
    if (!parked) return undefined;
    this.park(anchor!);
    this.drafts.set('new', parked);
    this.schedule();
    return parked.text;
  }

  set(slot: DraftSlot, text: string, anchor?: Anchor, choice?: string): void {
    if (slot === 'new' && anchor) this.park(anchor);
    if (!text.trim()) this.drafts.delete(slot);
    else this.drafts.set(slot, { text: text.slice(0, MAX_TEXT), ...(anchor ? { anchor } : {}), ...(choice !== undefined ? { choice } : {}) });
    this.schedule();
  }

  remove(slot: DraftSlot): void {
    if (this.drafts.delete(slot)) this.schedule();
  }

  /**
   * Before the new-comment slot takes `anchor`'s text: unsent text of another passage in it is
   * parked under that passage (Esc keeps what was written, and commenting elsewhere must not
   * overwrite it), and this passage's parked copy goes (the slot holds it now).
   */
  private park(anchor: Anchor): void {
    this.drafts.delete(parkedFor(anchor));
    const current = this.drafts.get('new');
    if (!current?.anchor || samePassage(current.anchor, anchor)) return;
    const parked = parkedFor(current.anchor);
    this.drafts.delete(parked); // re-inserted last: the newest
    this.drafts.set(parked, current);
    const all = [...this.drafts.keys()].filter((k) => k.startsWith('new@'));
    for (const k of all.slice(0, Math.max(0, all.length - PARKED_MAX))) this.drafts.delete(k);
  }

  /** Writes now (the page is going away, or a test wants to see the result). */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.drafts.size) await this.area.set({ [this.key]: Object.fromEntries(this.drafts) });
    else await this.area.remove(this.key);
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush().catch(() => {}), WRITE_DELAY_MS);
  }
}

/** An in-memory storage area, for tests and for pages where extension storage is unavailable. */
export function memoryArea(): StorageArea & { data: Record<string, unknown> } {
  const data: Record<string, unknown> = {};
  return {
    data,
    async get(key) {
      return key in data ? { [key]: structuredClone(data[key]) } : {};
    },
    async set(items) {
      Object.assign(data, structuredClone(items));
    },
    async remove(key) {
      delete data[key];
    },
  };
}
