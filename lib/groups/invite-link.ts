/**
 * The link a chair sends: the group server's own page, `https://<server>/join#<code>`. A
 * chrome-extension:// or moz-extension:// link is blocked when clicked in webmail or chat, and a
 * moz-extension address differs in every Firefox profile; an https page opens everywhere, tells a
 * newcomer what Margins is, and hands the code to the extension when the Margins button is pressed
 * on it. The code stays in the fragment, which the request never carries; but the page's own script
 * reads it, so whoever serves that page can read the invite (and with it the group secret): it must
 * be the group's own server, which the chair chose. Never over plain http across a network, where
 * anyone on the path could replace the page: a ws:// address gets a link only on this machine.
 */
import { isLoopbackHost } from './server-check';

const INVITE = /^margins1\.[A-Za-z0-9_.-]+$/;

/** The landing page's link for this invite, on the group's first signaling server; null if it has none. */
export function inviteLink(signaling: readonly string[], code: string): string | null {
  for (const server of signaling) {
    try {
      const url = new URL(server);
      if (url.protocol !== 'wss:' && !(url.protocol === 'ws:' && isLoopbackHost(url.hostname))) continue;
      url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
      url.pathname = `${url.pathname.replace(/\/+$/, '')}/join`;
      url.search = '';
      url.hash = code;
      return url.toString();
    } catch {
      // not a URL: try the next server
    }
  }
  return null;
}

/** The invite code a landing page's address carries (`…/join#margins1.…`), or null. */
export function inviteInLink(href: string | undefined): string | null {
  if (!href) return null;
  try {
    const url = new URL(href);
    const code = decodeURIComponent(url.hash.slice(1));
    return /\/join\/?$/.test(url.pathname) && INVITE.test(code) ? code : null;
  } catch {
    return null;
  }
}
