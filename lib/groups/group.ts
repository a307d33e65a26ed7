/**
 * A group: the people who review drafts together. Its secret never leaves the members'
 * browsers except inside an invite: it names the group's rooms (as hashes) and encrypts their
 * signaling. The chair's public key says who may start reviews and admit members.
 */
import { fromBase64Url, toBase64Url } from '../identity/base64url';
import { sha256 } from '../identity/digest';

export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

export interface Group {
  /** Stable for the group's life: the hash of its first secret. */
  id: string;
  name: string;
  /** 32 random bytes, base64url: the current one (it changes when the chair removes a member). */
  secret: string;
  /** How many times the secret changed; invites carry the epoch they were made in. */
  epoch: number;
  /** Earlier secrets, oldest first: their handover rooms are where late members find the new one. */
  past: string[];
  /** When each of `past` was replaced (ms): its handover room is kept for HANDOVER_DAYS after. */
  replacedAt?: number[];
  /** The chair's own: each invite's token, by invite id (the directory shows invites, never tokens). */
  tokens?: Record<string, string>;
  /** The chair's new secret between announcing it and moving to it: finished on start-up after a crash. */
  pending?: { secret: string; epoch: number };
  /** The chair's raw public key, base64url. */
  chair: string;
  signaling: string[];
  iceServers: IceServer[];
  joinedAt: number;
  /** Set when the chair removed this profile from the group: it takes no part any more. */
  removed?: boolean;
  /** Signed directory entries this profile verified, by `map/key` (see hub/groups.ts). */
  kept?: Record<string, { p: string; s: string }>;
}

const encoder = new TextEncoder();

async function sha256Text(text: string): Promise<string> {
  return toBase64Url(await sha256(encoder.encode(text)));
}

export function newSecret(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
}

/**
 * Public, stable id of a group: a hash of its first secret and its chair's key. It says nothing
 * about the secret, and binds the group to its chair: an invite re-signed by someone else who holds
 * the secret names another group, whose rooms and records the real chair's members never trust.
 */
export async function groupIdOf(secret: string, chair: string): Promise<string> {
  return (await sha256Text(`margins-group:${secret}:${chair}`)).slice(0, 22);
}

/** The name a review's room has on the signaling server: nothing about the draft or the group. */
export function roomName(secret: string, reviewId: string): Promise<string> {
  return sha256Text(`margins-room:${secret}:${reviewId}`);
}

/** y-webrtc derives the signaling encryption key from this and the room name. */
export function roomPassword(secret: string): Promise<string> {
  return sha256Text(`margins-key:${secret}`);
}

/**
 * Proof that a key's owner holds one particular invite: a member who never received an invite
 * cannot spend its uses on keys of their own. The chair keeps the token; the directory does not.
 */
export async function ticketOf(token: string, groupId: string, publicKey: string): Promise<string> {
  return joinProof(token, groupId, publicKey);
}

/** Proof that a key's owner holds the group's secret: its join request carries it. */
export async function joinProof(secret: string, groupId: string, publicKey: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', fromBase64Url(secret) as BufferSource, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = await crypto.subtle.sign('HMAC', key, encoder.encode(`join:${groupId}:${publicKey}`) as BufferSource);
  return toBase64Url(new Uint8Array(mac));
}
