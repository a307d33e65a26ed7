/**
 * Invites: everything a member needs to join a group, signed by the chair. The code travels in a
 * URL fragment (never a query) so no server sees it. Decoding names what is wrong with a bad code.
 *
 * Format: `margins1.<base64url JSON payload>.<base64url signature by the chair's key>`
 */
import { UserError } from '../user-error';
import * as v from 'valibot';
import { fingerprint, keyIdOf, sign, verify, type Identity } from '../identity';
import { fromBase64Url, toBase64Url } from '../identity/base64url';
import { groupIdOf, type Group } from './group';

const PREFIX = 'margins1';

const IceServerSchema = v.strictObject({
  urls: v.union([v.pipe(v.string(), v.regex(/^(stun|stuns|turn|turns):/)), v.array(v.pipe(v.string(), v.regex(/^(stun|stuns|turn|turns):/)))]),
  username: v.optional(v.pipe(v.string(), v.maxLength(256))),
  credential: v.optional(v.pipe(v.string(), v.maxLength(256))),
});

const PayloadSchema = v.strictObject({
  name: v.pipe(v.string(), v.trim(), v.minLength(1, 'the group has no name'), v.maxLength(120)),
  secret: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{43}$/, 'the group secret is malformed')),
  chair: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{40,200}$/, "the chair's key is malformed")),
  signaling: v.pipe(v.array(v.pipe(v.string(), v.regex(/^wss?:\/\//, 'a signaling server is not a ws:// or wss:// URL'))), v.minLength(1, 'no signaling server'), v.maxLength(8)),
  iceServers: v.pipe(v.array(IceServerSchema), v.maxLength(8)),
});
export type InvitePayload = v.InferOutput<typeof PayloadSchema>;

/** Why an invite was refused, in words for the person who pasted it (codes: locales/ `invite…`). */
export class InviteError extends UserError {}

export async function makeInvite(group: Omit<Group, 'id' | 'joinedAt'>, chair: Identity): Promise<string> {
  const payload: InvitePayload = { name: group.name, secret: group.secret, chair: group.chair, signaling: group.signaling, iceServers: group.iceServers };
  const body = toBase64Url(new TextEncoder().encode(JSON.stringify(payload)));
  return `${PREFIX}.${body}.${await sign(chair, `${PREFIX}.${body}`)}`;
}

export interface DecodedInvite {
  group: Group;
  /** The chair's key fingerprint, for comparing with what the chair says out of band. */
  chairFingerprint: string;
}

/** Accepts a code, or a join link that carries one in its fragment. Throws InviteError. */
export async function readInvite(input: string): Promise<DecodedInvite> {
  let code = input.trim();
  const hash = code.indexOf('#');
  if (hash !== -1) code = decodeURIComponent(code.slice(hash + 1)).replace(/^invite=/, '');
  const parts = code.split('.');
  if (parts[0] !== PREFIX) throw new InviteError('inviteNotMargins', 'This is not a Margins invite (it should start with "margins1.").');
  if (parts.length !== 3 || !parts[1] || !parts[2]) throw new InviteError('inviteIncomplete', 'The invite is incomplete: it may have been cut off when it was copied.');
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(fromBase64Url(parts[1])));
  } catch {
    throw new InviteError('inviteDamaged', 'The invite is damaged: its contents cannot be read. Ask the chair to send it again.');
  }
  const parsed = v.safeParse(PayloadSchema, raw);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    const where = issue.path?.map((p) => String(p.key)).join('.');
    const detail = `${issue.message}${where ? ` (${where})` : ''}`;
    throw new InviteError('inviteInvalid', `The invite is not valid: ${detail}.`, [detail]);
  }
  if (!(await verify(parsed.output.chair, `${PREFIX}.${parts[1]}`, parts[2]))) {
    throw new InviteError('inviteTampered', "The invite's signature does not match: it was changed after the chair made it. Ask the chair for a new one.");
  }
  const p = parsed.output;
  const group: Group = { id: await groupIdOf(p.secret), name: p.name, secret: p.secret, chair: p.chair, signaling: p.signaling, iceServers: p.iceServers, joinedAt: Date.now() };
  return { group, chairFingerprint: fingerprint(await keyIdOf(p.chair)) };
}
