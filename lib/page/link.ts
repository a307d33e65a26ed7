/**
 * The line between the review panel (an extension page) and the page agent in a draft's tab.
 * The panel asks (where are these passages, paint them, show this one); the page tells (the reader
 * asked to comment on this passage, clicked this highlight, the text changed). Only the panel
 * opens it (`tabs.connect`, which pages cannot call), and nothing on it is a comment or a name.
 */
import type { Anchor } from '../anchoring';
import type { PortLike } from '../sync/port';
import type { PageAgent, PageInfo } from './agent';
import type { AnchorRequest, Placement } from './placement';

export const PAGE_PORT = 'margins-page';
/** Sent by a page agent when it starts, so a panel already showing its tab connects. */
export const PAGE_READY = 'margins:page-ready';
/** Sent by a page agent to the background: open the panel on this tab (after the reader's own click or key). */
export const OPEN_PANEL = 'margins:open-panel';

export interface PageRequests {
  info: { args: Record<string, never>; value: PageInfo };
  text: { args: Record<string, never>; value: string };
  place: { args: { threads: AnchorRequest[] }; value: Placement[] };
  'place-anchors': { args: { anchors: Anchor[] }; value: { anchor: Anchor; placed: boolean }[] };
  focus: { args: { id: string | null; show?: boolean }; value: null };
  /** A comment the reader asked for before any panel listened. */
  'take-pending': { args: Record<string, never>; value: Anchor | null };
}
export type PageOp = keyof PageRequests;

export type PageEvent =
  /** The page text or the draft changed: ask for `info` and place the threads again. */
  | { type: 'changed' }
  /** The reader asked to comment on this passage. */
  | { type: 'comment'; anchor: Anchor }
  /** The reader asked to comment with nothing selected. */
  | { type: 'select-first' }
  /** The reader clicked this thread's highlight. */
  | { type: 'reveal'; id: string };

type Message = { t: 'req'; id: number; op: PageOp; args: never } | { t: 'res'; id: number; ok: boolean; value?: unknown; error?: string } | { t: 'event'; event: PageEvent };

const MAX_THREADS = 100_000;

/** The page's side: answers every panel connected to this tab, and tells them what the reader does. */
export class PageServer {
  private ports = new Set<PortLike>();
  private pending: Anchor | null = null;

  constructor(private agent: PageAgent) {}

  /** Whether a panel is looking at this page. */
  get watched(): boolean {
    return this.ports.size > 0;
  }

  serve(port: PortLike): void {
    this.ports.add(port);
    port.onMessage.addListener((message) => void this.answer(port, message as Message));
    port.onDisconnect.addListener(() => {
      this.ports.delete(port);
      // Highlights show only while a panel shows the review.
      if (!this.ports.size) this.agent.clear();
    });
  }

  /** Hangs up on every panel (this agent is being replaced). */
  close(): void {
    for (const port of this.ports) port.disconnect();
    this.ports.clear();
  }

  emit(event: PageEvent): void {
    for (const port of this.ports) port.postMessage({ t: 'event', event } satisfies Message);
  }

  /**
   * The reader asked to comment here: to the panels, or kept for the first one to connect (a
   * request with nothing selected does not replace a passage already waiting).
   */
  comment(anchor: Anchor | null): void {
    if (this.ports.size) this.emit(anchor ? { type: 'comment', anchor } : { type: 'select-first' });
    else if (anchor) this.pending = anchor;
  }

  private async answer(port: PortLike, message: Message): Promise<void> {
    if (message?.t !== 'req') return;
    let reply: Message;
    try {
      reply = { t: 'res', id: message.id, ok: true, value: await this.handle(message.op, message.args) };
    } catch (error) {
      reply = { t: 'res', id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) };
    }
    if (this.ports.has(port)) port.postMessage(reply);
  }

  private async handle(op: PageOp, args: Record<string, unknown>): Promise<unknown> {
    switch (op) {
      case 'info':
        return this.agent.info();
      case 'text':
        return this.agent.text();
      case 'place':
        return this.agent.place(list<AnchorRequest>(args.threads));
      case 'place-anchors':
        return this.agent.placeAnchors(list<Anchor>(args.anchors));
      case 'focus':
        this.agent.focus(typeof args.id === 'string' ? args.id : null);
        if (args.show && typeof args.id === 'string') this.agent.show(args.id);
        return null;
      case 'take-pending': {
        const anchor = this.pending;
        this.pending = null;
        return anchor;
      }
      default:
        throw new Error(`unknown page request ${String(op)}`);
    }
  }
}

function list<T>(value: unknown): T[] {
  if (!Array.isArray(value) || value.length > MAX_THREADS) throw new Error('expected a list');
  return value as T[];
}

/** The panel's side of the line to one tab's page agent. */
export class PageLink {
  private nextId = 1;
  private waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private listeners = new Set<(event: PageEvent) => void>();
  private closeListeners = new Set<() => void>();
  private closed = false;

  constructor(private port: PortLike) {
    port.onMessage.addListener((raw) => {
      const message = raw as Message;
      if (message?.t === 'event') for (const l of this.listeners) l(message.event);
      if (message?.t !== 'res') return;
      const w = this.waiting.get(message.id);
      this.waiting.delete(message.id);
      if (message.ok) w?.resolve(message.value);
      else w?.reject(new Error(message.error ?? 'the page refused'));
    });
    port.onDisconnect.addListener(() => this.shut());
  }

  get isClosed(): boolean {
    return this.closed;
  }

  request<O extends PageOp>(op: O, args: PageRequests[O]['args']): Promise<PageRequests[O]['value']> {
    if (this.closed) return Promise.reject(new Error('the page is gone'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      try {
        this.port.postMessage({ t: 'req', id, op, args } as Message);
      } catch (error) {
        this.waiting.delete(id);
        reject(error as Error);
      }
    });
  }

  on(listener: (event: PageEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Calls back once the page is gone (navigated, closed, or never had an agent). */
  onClose(listener: () => void): () => void {
    if (this.closed) listener();
    else this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  close(): void {
    this.port.disconnect();
    this.shut();
  }

  private shut(): void {
    if (this.closed) return;
    this.closed = true;
    for (const w of this.waiting.values()) w.reject(new Error('the page is gone'));
    this.waiting.clear();
    for (const l of this.closeListeners) l();
  }
}
