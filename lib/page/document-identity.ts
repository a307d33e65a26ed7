/**
 * Which draft a page is. Reviews are found by canonical URL: the page's <link rel=canonical>
 * when it names an http(s) URL on the page's own origin, otherwise its own URL without the
 * fragment and tracking parameters. A canonical link to another site does not count: a hostile
 * page could otherwise name another draft's address and have that draft's review opened on it.
 */
import { sha256 } from '../identity/digest';

const TRACKING = /^(utm_[a-z]+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|_ga|_gl|ref_src|igshid)$/i;

export function cleanUrl(href: string): string {
  const url = new URL(href);
  url.hash = '';
  // The query is filtered as text: in a Firefox content script the page's URLSearchParams
  // iterators are not iterable.
  const kept = url.search
    .slice(1)
    .split('&')
    .filter((pair) => pair && !TRACKING.test(decodeParam(pair.split('=')[0])));
  url.search = kept.length ? `?${kept.join('&')}` : '';
  return url.toString();
}

function decodeParam(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}

export function canonicalUrl(doc: Document, href = doc.location.href): string {
  const link = doc.querySelector<HTMLLinkElement>('link[rel~="canonical"][href]');
  if (link) {
    try {
      const url = new URL(link.getAttribute('href')!, href);
      if ((url.protocol === 'http:' || url.protocol === 'https:') && url.origin === new URL(href).origin) return cleanUrl(url.toString());
    } catch {
      // a broken canonical link: fall back to the page's own URL
    }
  }
  return cleanUrl(href);
}

/** Short content fingerprint of the draft text: tells whether the draft changed since. */
export async function textFingerprint(text: string): Promise<string> {
  const digest = await sha256(new TextEncoder().encode(text));
  return Array.from(digest.subarray(0, 12), (b) => b.toString(16).padStart(2, '0')).join('');
}
