import { sha256 } from '@noble/hashes/sha2.js';
import { toBase64Url } from '../identity/base64url';

/** 128 random bits, base64url: review nonces and request ids. */
export function randomId(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(16)));
}

/** Binds the review to its creator's key (see creatorKeyIdOf in fold). */
export function newReviewId(creatorKeyId: string): string {
  return `${creatorKeyId}.${randomId()}`;
}

const encoder = new TextEncoder();

/**
 * An event's id: SHA-256 of its signed payload text, base64url (43 characters). Nobody can give
 * an event of theirs the id of someone else's, and the id says nothing before the event exists.
 * Computed synchronously (noble-hashes): every replica hashes every envelope it checks, and
 * WebCrypto's asynchronous digest cost ten times as much per envelope (a quarter of a millisecond
 * in Node, most of it the round trip), a large share of a ten-peer review's CPU.
 */
export function eventIdOf(payload: string): string {
  return toBase64Url(sha256(encoder.encode(payload)));
}
