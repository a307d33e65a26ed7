/**
 * A surface's request line to the hub, reconnecting by itself when the hub or the service worker
 * restarts: requests still unanswered are sent again (every request is idempotent, so a request
 * the hub did see but could not answer does no harm twice). No Yjs here: the popup, the dashboard,
 * the options and join pages need only this (HubClient adds review replicas for the sidebar).
 */
import type { StorageStatus } from '../store/durable';
import type { ReviewRecord } from '../store/db';
import type { PortLike } from './port';
import type { HubMessage, Op, Requests } from './protocol';
import type { RoomStatus } from './webrtc-network';
import { UserError } from '../user-error';

export interface LinkStatus {
  connected: boolean;
  storage: StorageStatus;
  /** Peer-to-peer state per review, for reviews of a group. */
  peers: Record<string, RoomStatus>;
  /** Set when the extension was updated or removed: only a page reload helps. */
  fatal?: string;
}

interface Pending {
  op: Op;
  args: unknown;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

export class HubLink {
  private port: PortLike | null = null;
  private nextId = 1;
  private pending = new Map<number, Pending>();
  private listeners = new Set<(status: LinkStatus) => void>();
  private reviewListeners = new Set<(record: ReviewRecord) => void>();
  private knownListeners = new Set<(known: { review: string; canonical: string }) => void>();
  private status: LinkStatus = { connected: false, storage: { ok: true, pending: 0 }, peers: {} };
  private attempts = 0;
  private stopped = false;

  constructor(private connectPort: () => Promise<PortLike>) {}

  start(): this {
    void this.connect();
    return this;
  }

  stop(): void {
    this.stopped = true;
    this.port?.disconnect();
  }

  /** Calls back with each review's dashboard row as the hub updates it. */
  onReview(listener: (record: ReviewRecord) => void): () => void {
    this.reviewListeners.add(listener);
    return () => this.reviewListeners.delete(listener);
  }

  /** Calls back with each review the hub folded: its id and its draft's address. */
  onKnown(listener: (known: { review: string; canonical: string }) => void): () => void {
    this.knownListeners.add(listener);
    return () => this.knownListeners.delete(listener);
  }

  onStatus(listener: (status: LinkStatus) => void): () => void {
    this.listeners.add(listener);
    listener(this.status);
    return () => this.listeners.delete(listener);
  }

  request<K extends Op>(op: K, args: Requests[K]['args']): Promise<Requests[K]['result']> {
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { op, args, resolve: resolve as (v: unknown) => void, reject });
      this.send({ t: 'req', id, op, args });
    });
  }

  private setStatus(patch: Partial<LinkStatus>): void {
    this.status = { ...this.status, ...patch };
    for (const l of this.listeners) l(this.status);
  }

  protected send(message: unknown): void {
    if (!this.port) return; // sent again on reconnect
    try {
      this.port.postMessage(message);
    } catch {
      this.dropped();
    }
  }

  /** Called on each (re)connection, before unanswered requests go out again. */
  protected connected(): void {}

  /** A sync message for a review replica (HubClient keeps them). */
  protected synced(_message: Extract<HubMessage, { t: 'sync' }>): void {}

  /** What the hub verified of a review (HubClient hands it to the review's replica). */
  protected vouched(_message: Extract<HubMessage, { t: 'verified' }>): void {}

  private async connect(): Promise<void> {
    if (this.stopped) return;
    let port: PortLike;
    try {
      port = await this.connectPort();
    } catch (error) {
      const message = (error as Error)?.message ?? '';
      if (/context invalidated/i.test(message)) {
        this.setStatus({ connected: false, fatal: 'Margins was updated or disabled. Reload the page to continue.' });
        return;
      }
      this.retry();
      return;
    }
    this.port = port;
    port.onMessage.addListener((message) => this.onMessage(port, message as HubMessage));
    port.onDisconnect.addListener(() => {
      if (this.port === port) this.dropped();
    });
    this.connected();
    for (const [id, p] of this.pending) this.send({ t: 'req', id, op: p.op, args: p.args });
  }

  private dropped(): void {
    this.port = null;
    this.setStatus({ connected: false });
    this.retry();
  }

  private retry(): void {
    if (this.stopped) return;
    const delay = Math.min(5_000, 100 * 2 ** this.attempts++);
    setTimeout(() => void this.connect(), delay);
  }

  private onMessage(port: PortLike, message: HubMessage): void {
    if (port !== this.port) return;
    if (!this.status.connected) {
      this.attempts = 0;
      this.setStatus({ connected: true });
    }
    if (message.t === 'res') {
      const p = this.pending.get(message.id);
      if (!p) return;
      this.pending.delete(message.id);
      if (message.ok) p.resolve(message.value);
      else p.reject(message.code ? new UserError(message.code, message.error, message.args) : new Error(message.error));
    } else if (message.t === 'sync') {
      this.synced(message);
    } else if (message.t === 'verified') {
      this.vouched(message);
    } else if (message.t === 'storage') {
      this.setStatus({ storage: message.status });
    } else if (message.t === 'review') {
      for (const l of this.reviewListeners) l(message.record);
      for (const l of this.knownListeners) l({ review: message.record.id, canonical: message.record.canonical });
    } else if (message.t === 'peers') {
      const { t: _, review, ...room } = message;
      // Sent every second: only a change is news for the surfaces.
      if (JSON.stringify(this.status.peers[review]) !== JSON.stringify(room)) this.setStatus({ peers: { ...this.status.peers, [review]: room } });
    }
  }
}
