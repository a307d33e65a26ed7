/**
 * A Yjs update (format v1, as y-protocols sends it) cut into pieces of bounded size, each a valid
 * update of its own, that give the whole when applied in order. A newcomer's first state is the
 * whole review: sent as one message it had to be held whole by both sides, and a review past a few
 * tens of thousands of events met the 16 MiB a peer accepts (issue 14). In pieces, the receiver
 * applies each as it comes and shows progress, and no size is a wall.
 *
 * An update lists, per client, a run of structs with consecutive clocks, then the delete set. The
 * pieces keep that order; a struct longer than a piece (a chair's thousands of events merge into
 * one Yjs item) is cut at clock boundaries as Yjs itself splits items: the right part's origin is
 * the left part's last id. Only the last piece carries the delete set.
 */
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

type Struct = Y.Item | Y.GC | Y.Skip;

interface Section {
  client: number;
  clock: number;
  structs: Uint8Array[];
}

/** The part [from, to) of a struct, by clock offset, as a struct that writes itself. */
function slice(struct: Struct, from: number, to: number): Struct {
  if (from === 0 && to === struct.length) return struct;
  const id = Y.createID(struct.id.client, struct.id.clock + from);
  if (struct instanceof Y.GC) return new Y.GC(id, to - from);
  if (struct instanceof Y.Skip) return new Y.Skip(id, to - from);
  let content = struct.content.copy();
  if (from > 0) content = content.splice(from);
  if (to - from < content.getLength()) content.splice(to - from);
  const origin = from > 0 ? Y.createID(struct.id.client, struct.id.clock + from - 1) : struct.origin;
  return new Y.Item(id, null, origin, null, struct.rightOrigin, struct.parent, struct.parentSub, content);
}

/**
 * A clock offset to cut a struct at, moved past the second half of a surrogate pair: text is
 * counted in UTF-16 units, and a pair cut in two arrives as two replacement characters.
 */
function cutAt(struct: Struct, at: number, limit: number): number {
  if (at >= limit || !(struct instanceof Y.Item) || !(struct.content instanceof Y.ContentString)) return at;
  const unit = struct.content.str.charCodeAt(at - 1);
  return unit >= 0xd800 && unit <= 0xdbff ? at + 1 : at;
}

function encode(struct: Struct): Uint8Array {
  const encoder = new Y.UpdateEncoderV1();
  struct.write(encoder, 0);
  return encoder.toUint8Array();
}

/**
 * Pieces of about `maxBytes` (one struct entry may exceed it: an event is never cut). A small
 * update comes back whole, as the only piece.
 */
export function splitUpdate(update: Uint8Array, maxBytes: number): Uint8Array[] {
  if (update.length <= maxBytes) return [update];
  const { structs } = Y.decodeUpdate(update) as { structs: Struct[] };
  // The delete set as the update has it: what follows the (empty) struct part of a diff that
  // leaves out every struct. (encodeStateVectorFromUpdate counts only runs from clock 0.)
  const ends = new Map<number, number>();
  for (const s of structs) ends.set(s.id.client, Math.max(ends.get(s.id.client) ?? 0, s.id.clock + s.length));
  const diff = Y.diffUpdate(update, Y.encodeStateVector(ends));
  if (diff[0] !== 0) throw new Error('splitUpdate: a diff past every struct kept some');
  const deleteSet = diff.subarray(1);
  const pieces: Uint8Array[] = [];
  let sections: Section[] = [];
  let size = 0;
  const flush = (last: boolean) => {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, sections.length);
    for (const s of sections) {
      encoding.writeVarUint(encoder, s.structs.length);
      encoding.writeVarUint(encoder, s.client);
      encoding.writeVarUint(encoder, s.clock);
      for (const bytes of s.structs) encoding.writeUint8Array(encoder, bytes);
    }
    if (last) encoding.writeUint8Array(encoder, deleteSet);
    else encoding.writeVarUint(encoder, 0); // no deletions in this piece
    pieces.push(encoding.toUint8Array(encoder));
    sections = [];
    size = 0;
  };
  const add = (struct: Struct, bytes: Uint8Array) => {
    if (size > 0 && size + bytes.length > maxBytes) flush(false);
    const open = sections.at(-1);
    const next = open && open.client === struct.id.client ? open : null;
    if (next) next.structs.push(bytes);
    else sections.push({ client: struct.id.client, clock: struct.id.clock, structs: [bytes] });
    size += bytes.length + (next ? 0 : 8);
  };
  /** Adds [from, to) of a struct, cut into parts that fit a piece where it does not. */
  const place = (struct: Struct, from: number, to: number) => {
    const part = slice(struct, from, to);
    const bytes = encode(part);
    if (bytes.length <= maxBytes || to - from === 1) return add(part, bytes);
    const parts = Math.min(to - from, Math.ceil(bytes.length / maxBytes) + 1);
    const step = Math.ceil((to - from) / parts);
    for (let at = from; at < to; ) {
      const next = cutAt(struct, Math.min(to, at + step), to);
      place(struct, at, next);
      at = next;
    }
  };
  for (const struct of structs) place(struct, 0, struct.length);
  flush(true);
  return pieces;
}
