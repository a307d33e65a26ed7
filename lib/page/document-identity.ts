/**
 * Which draft a page is. Reviews are found by canonical URL: the page's <link rel=canonical>
 * when it names an http(s) URL, otherwise its own URL without the fragment and tracking parameters.
 */
const TRACKING = /^(utm_[a-z]+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|_ga|_gl|ref_src|igshid)$/i;

export function cleanUrl(href: string): string {
  const url = new URL(href);
  url.hash = '';
  for (const key of [...url.searchParams.keys()]) if (TRACKING.test(key)) url.searchParams.delete(key);
  url.search = url.searchParams.toString() ? `?${url.searchParams}` : '';
  return url.toString();
}

export function canonicalUrl(doc: Document, href = doc.location.href): string {
  const link = doc.querySelector<HTMLLinkElement>('link[rel~="canonical"][href]');
  if (link) {
    try {
      const url = new URL(link.getAttribute('href')!, href);
      if (url.protocol === 'http:' || url.protocol === 'https:') return cleanUrl(url.toString());
    } catch {
      // a broken canonical link: fall back to the page's own URL
    }
  }
  return cleanUrl(href);
}

/** Short content fingerprint of the draft text: tells whether the draft changed since. */
export async function textFingerprint(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text) as BufferSource));
  return Array.from(digest.subarray(0, 12), (b) => b.toString(16).padStart(2, '0')).join('');
}
