/** y-protocols sync over a message channel: the same exchange peers use with each other. */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import type * as Y from 'yjs';
import { fromBase64Url, toBase64Url } from '../identity/base64url';

export function step1(doc: Y.Doc): string {
  const encoder = encoding.createEncoder();
  syncProtocol.writeSyncStep1(encoder, doc);
  return toBase64Url(encoding.toUint8Array(encoder));
}

export function updateMessage(update: Uint8Array): string {
  const encoder = encoding.createEncoder();
  syncProtocol.writeUpdate(encoder, update);
  return toBase64Url(encoding.toUint8Array(encoder));
}

/**
 * Applies a received sync message to the doc; returns the reply to send, if any.
 * Throws on a malformed message: the caller reports it and keeps going.
 */
export function receive(doc: Y.Doc, data: string, origin: unknown): string | null {
  const decoder = decoding.createDecoder(fromBase64Url(data));
  const encoder = encoding.createEncoder();
  syncProtocol.readSyncMessage(decoder, encoder, doc, origin);
  return encoding.length(encoder) > 0 ? toBase64Url(encoding.toUint8Array(encoder)) : null;
}
