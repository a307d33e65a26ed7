import { toBase64Url } from '../identity/base64url';

/** 128 random bits, base64url: event, thread and review ids. */
export function randomId(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(16)));
}

/** Binds the review to its creator's key (see creatorKeyIdOf in fold). */
export function newReviewId(creatorKeyId: string): string {
  return `${creatorKeyId}.${randomId()}`;
}
