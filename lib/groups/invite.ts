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
  group: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{22}$/, 'the group id is malformed')),
  /** This invite's id: the chair counts its uses and can revoke it. */
  id: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{22}$/, 'the invite id is malformed')),
  /** Milliseconds since the epoch after which it no longer admits anyone; null: no end. */
  // Within what a date can hold (±8.64e15 ms): beyond, there is no expiry to show.
  expires: v.nullable(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(8.64e15))),
  /** Known only to those who hold this invite: a join request proves it (see ticketOf). */
  token: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{22}$/, 'the invite token is malformed')),
  epoch: v.pipe(v.number(), v.integer(), v.minValue(0)),
  name: v.pipe(v.string(), v.trim(), v.minLength(1, 'the group has no name'), v.maxLength(120)),
  secret: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{43}$/, 'the group secret is malformed')),
  chair: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{40,200}$/, "the chair's key is malformed")),
  signaling: v.pipe(v.array(v.pipe(v.string(), v.regex(/^wss?:\/\//, 'a signaling server is not a ws:// or wss:// URL'))), v.minLength(1, 'no signaling server'), v.maxLength(8)),
  iceServers: v.pipe(v.array(IceServerSchema), v.maxLength(8)),
});
export type InvitePayload = v.InferOutput<typeof PayloadSchema>;

/** Why an invite was refused, in words for the person who pasted it (codes: locales/ `invite…`). */
export class InviteError extends UserError {}

export interface InviteTerms {
  id: string;
  expires: number | null;
  token: string;
}

export async function makeInvite(group: Pick<Group, 'id' | 'epoch' | 'name' | 'secret' | 'chair' | 'signaling' | 'iceServers'>, terms: InviteTerms, chair: Identity): Promise<string> {
  const payload: InvitePayload = { group: group.id, id: terms.id, expires: terms.expires, token: terms.token, epoch: group.epoch, name: group.name, secret: group.secret, chair: group.chair, signaling: group.signaling, iceServers: group.iceServers };
  const body = toBase64Url(new TextEncoder().encode(JSON.stringify(payload)));
  return `${PREFIX}.${body}.${await sign(chair, `${PREFIX}.${body}`)}`;
}

export interface DecodedInvite {
  group: Group;
  /** The invite's own id and terms (the chair's hub checks uses and revocation). */
  invite: InviteTerms;
  /** The chair's key fingerprint, for comparing with what the chair says out of band. */
  chairFingerprint: string;
}

/** A link's fragment decoded; a broken percent-encoding is a damaged invite, not a URIError. */
export function decodedFragment(fragment: string): string {
  try {
    return decodeURIComponent(fragment);
  } catch {
    throw new InviteError('inviteDamaged', 'The invite is damaged: its contents cannot be read. Ask the chair to send it again.');
  }
}

/** Accepts a code, or a join link that carries one in its fragment. Throws InviteError. */
export async function readInvite(input: string, now = Date.now()): Promise<DecodedInvite> {
  let code = input.trim();
  const hash = code.indexOf('#');
  if (hash !== -1) code = decodedFragment(code.slice(hash + 1)).replace(/^invite=/, '');
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
  // A first-generation invite proves its group is this chair's (see groupIdOf). Later ones carry a
  // newer secret, and only the chair's fingerprint, compared out of band, says whose group it is.
  if (p.epoch === 0 && p.group !== (await groupIdOf(p.secret, p.chair))) {
    throw new InviteError('inviteTampered', "The invite's signature does not match: it was changed after the chair made it. Ask the chair for a new one.");
  }
  if (p.expires !== null && p.expires < now) {
    const when = new Date(p.expires).toISOString().slice(0, 16).replace('T', ' ');
    throw new InviteError('inviteExpired', `This invite expired on ${when} UTC. Ask the chair for a new one.`, [when]);
  }
  const group: Group = { id: p.group, name: p.name, secret: p.secret, epoch: p.epoch, past: [], chair: p.chair, signaling: p.signaling, iceServers: p.iceServers, joinedAt: now };
  return { group, invite: { id: p.id, expires: p.expires, token: p.token }, chairFingerprint: fingerprint(await keyIdOf(p.chair)) };
}
