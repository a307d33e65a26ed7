import { toBase64Url } from '../identity/base64url';
import { sha256 } from '../identity/digest';

/** 128 random bits, base64url: review nonces and request ids. */
export function randomId(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(16)));
}

/** Binds the review to its creator's key (see creatorKeyIdOf in fold). */
export function newReviewId(creatorKeyId: string): string {
  return `${creatorKeyId}.${randomId()}`;
}

/**
 * An event's id: SHA-256 of its signed payload text, base64url (43 characters). Nobody can give
 * an event of theirs the id of someone else's, and the id says nothing before the event exists.
 */
export async function eventIdOf(payload: string): Promise<string> {
  return toBase64Url(await sha256(new TextEncoder().encode(payload)));
}
