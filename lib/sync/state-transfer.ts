/**
 * A large state travels in pieces (issue 14). y-webrtc answers a newcomer's state request with the
 * whole review in one sync message; this sends such a message as pieces of at most STATE_PIECE
 * (split-update.ts), each a Yjs update the receiver applies as it comes, the last one as the state
 * answer y-webrtc waits for. A small frame ahead of them says how many pieces follow, so the
 * receiver can show progress. Pieces go only as fast as the channel drains: a browser's data channel
 * refuses sends past its buffer, and a process that queues 100 MB has lost the memory bound.
 *
 * A newcomer asks every peer it meets for what it lacks, and each would answer with the whole review
 * at once: one state is enough. A receiver already taking a state in pieces from one peer of a room
 * answers another peer's announcement with a small frame saying so, and that peer sends no more
 * pieces; whatever it holds that the first did not comes when it is asked again (IncomingStates).
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { splitUpdate } from './split-update';

/** The largest piece of a state sent at once. */
export const STATE_PIECE = 256 * 1024;
/** Bytes waiting in the channel's buffer above which the next piece waits. */
const HIGH_WATER = 1024 * 1024;
/** First byte of the frame announcing pieces (y-protocols messages start with 0–3, fragments with 0xFF). */
const PIECES = 0xfe;
/** The one-byte frame telling a peer that the state it is sending in pieces is not needed. */
const NOT_NEEDED = 0xfd;
/** More pieces than any review needs: a frame claiming more is ignored. */
const MAX_PIECES = 1 << 20;

const MESSAGE_SYNC = 0;
const SYNC_STEP2 = 1;
const SYNC_UPDATE = 2;

/** The update inside a sync message carrying a state answer or an update, if the message is large. */
function largeSync(message: Uint8Array): { step: number; update: Uint8Array } | null {
  if (message.length <= STATE_PIECE || message[0] !== MESSAGE_SYNC) return null;
  try {
    const decoder = decoding.createDecoder(message);
    decoding.readVarUint(decoder);
    const step = decoding.readVarUint(decoder);
    if (step !== SYNC_STEP2 && step !== SYNC_UPDATE) return null;
    return { step, update: decoding.readVarUint8Array(decoder) };
  } catch {
    return null;
  }
}

function syncMessage(step: number, update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  encoding.writeVarUint(encoder, step);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

function piecesFrame(count: number): Uint8Array {
  const frame = new Uint8Array(5);
  frame[0] = PIECES;
  new DataView(frame.buffer).setUint32(1, count);
  return frame;
}

/** The frame that stops a peer's pieces (see StateSender.stop). */
export function notNeededFrame(): Uint8Array {
  return Uint8Array.of(NOT_NEEDED);
}

export function isNotNeeded(message: Uint8Array): boolean {
  return message.length === 1 && message[0] === NOT_NEEDED;
}

/** Whether a message is a sync message that brings state (a piece counts as one). */
function bringsState(message: Uint8Array): boolean {
  return message[0] === MESSAGE_SYNC && (message[1] === SYNC_STEP2 || message[1] === SYNC_UPDATE);
}

/**
 * Sends a peer's messages in order: small ones at once, a large state in paced pieces, and whatever
 * is sent meanwhile after it.
 */
export class StateSender {
  private queue: Uint8Array[] = [];
  private busy = false;
  /** The receiver said the state being sent is not needed: its remaining pieces are dropped. */
  private stopped = false;

  constructor(
    private send: (message: Uint8Array) => void,
    /** Bytes still in the channel's buffer. */
    private buffered: () => number,
  ) {}

  /** A state answer is being sent: the peer's requests for it meanwhile need no answer. */
  get sending(): boolean {
    return this.answering;
  }

  private answering = false;

  /** The peer takes the state from another peer: the pieces not sent yet are not sent. */
  stop(): void {
    if (this.answering) this.stopped = true;
  }

  push(message: Uint8Array): void {
    if (!this.busy && !largeSync(message)) return this.send(message);
    this.queue.push(message);
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      while (this.queue.length) {
        const message = this.queue.shift()!;
        const large = largeSync(message);
        if (!large) {
          await this.room();
          this.send(message);
          continue;
        }
        let pieces: Uint8Array[];
        try {
          pieces = splitUpdate(large.update, STATE_PIECE);
        } catch (error) {
          // Never expected; whole, as y-webrtc would have sent it, rather than not at all.
          console.warn('Margins: a state could not be cut into pieces', error);
          pieces = [large.update];
        }
        this.answering = large.step === SYNC_STEP2;
        this.stopped = false;
        this.send(piecesFrame(pieces.length));
        for (let i = 0; i < pieces.length && !this.stopped; i++) {
          await this.room();
          if (!this.stopped) this.send(syncMessage(i === pieces.length - 1 ? large.step : SYNC_UPDATE, pieces[i]));
        }
        this.answering = false;
        this.stopped = false;
      }
    } catch {
      // The channel closed: what was queued for it goes nowhere (a new connection syncs afresh).
      this.queue = [];
    } finally {
      this.busy = false;
      this.answering = false;
    }
  }

  private async room(): Promise<void> {
    while (this.buffered() > HIGH_WATER) await new Promise((r) => setTimeout(r, 5));
  }
}

/** How far a state in pieces has come from one peer. */
export interface Receiving {
  done: number;
  total: number;
}

/** Counts the pieces of a state as they arrive, from the frame that announces them. */
export class StateReceiver {
  private current: Receiving | null = null;

  constructor(private onProgress: (progress: Receiving | null) => void) {}

  /** True when the message was the announcing frame (and is not for y-webrtc). */
  announce(message: Uint8Array): boolean {
    if (message[0] !== PIECES) return false;
    if (message.length === 5) {
      const total = new DataView(message.buffer, message.byteOffset, 5).getUint32(1);
      if (total > 0 && total <= MAX_PIECES) {
        this.current = { done: 0, total };
        this.onProgress({ ...this.current });
      }
    }
    return true;
  }

  /** Whether a state is coming in pieces from this peer. */
  get busy(): boolean {
    return this.current !== null;
  }

  /** Stops counting this peer's pieces (it was told they are not needed); what still arrives is read as any update. */
  cancel(): void {
    if (!this.current) return;
    this.current = null;
    this.onProgress(null);
  }

  /** After a message was read: a piece moves the count on. */
  received(message: Uint8Array): void {
    if (!this.current || !bringsState(message)) return;
    this.current.done++;
    if (this.current.done < this.current.total) return this.onProgress({ ...this.current });
    this.current = null;
    this.onProgress(null);
  }
}

/** Pieces that came within this long are a state on its way; an announcement alone is not. */
export const FLOWING_MS = 5_000;
/** A peer told its state is not needed is not asked again for this long: the first state is usually in by then. */
export const HELD_BACK_MS = 10_000;

/**
 * Which of a room's peers this profile takes a state from, and which it asks again (see the module
 * comment). Of the states coming at once, the one whose first piece came first is taken; the others
 * are held back, each once. A peer that announces a state and sends nothing holds nobody back, and
 * one that trickles pieces delays the others by HELD_BACK_MS at most: peers are not trusted to
 * finish what they start.
 */
export class IncomingStates {
  /** Peer → the order its first piece came in, and when its last one came. */
  private flowing = new Map<string, { order: number; last: number }>();
  private pieces = 0;
  /** Peer → when it was told its state is not needed. */
  private held = new Map<string, number>();

  /** What a peer's pieces have come to (null: all in, or no longer counted). */
  progress(peer: string, progress: Receiving | null, now = Date.now()): void {
    if (!progress) return void this.flowing.delete(peer);
    if (progress.done === 0) return; // an announcement: nothing has come yet
    const flowing = this.flowing.get(peer);
    if (flowing) flowing.last = now;
    else this.flowing.set(peer, { order: this.pieces++, last: now });
  }

  /**
   * Whether to tell this peer, which has announced a state or sent a piece of one, that it is not
   * needed: another state is coming that started first. Remembers it if so.
   */
  holdBack(peer: string, now = Date.now()): boolean {
    if (this.held.has(peer)) return false;
    const mine = this.flowing.get(peer);
    for (const [other, { order, last }] of this.flowing) {
      if (other === peer || now - last >= FLOWING_MS || (mine && order > mine.order)) continue;
      this.held.set(peer, now);
      this.flowing.delete(peer);
      return true;
    }
    return false;
  }

  /** Whether the periodic resync may ask this peer for what this profile lacks. */
  mayAsk(peer: string, now = Date.now()): boolean {
    const held = this.held.get(peer);
    return held === undefined || now - held >= HELD_BACK_MS;
  }

  /** Forgets the peers that left. */
  retain(isHere: (peer: string) => boolean): void {
    for (const map of [this.flowing, this.held]) for (const peer of map.keys()) if (!isHere(peer)) map.delete(peer);
  }
}
