// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { canonicalUrl, cleanUrl } from '../../lib/page/document-identity';
import { linkify } from '../../lib/page/linkify';
import { relativeTime, utc } from '../../lib/page/time';

describe('document identity', () => {
  it('drops the fragment and tracking parameters, keeps the rest', () => {
    expect(cleanUrl('https://x.org/d?id=4&utm_source=mail&fbclid=9#s2')).toBe('https://x.org/d?id=4');
    expect(cleanUrl('https://x.org/d?utm_campaign=a')).toBe('https://x.org/d');
    expect(cleanUrl('https://x.org/d?a=1&UTM_Source=x&b=%20c&&gclid')).toBe('https://x.org/d?a=1&b=%20c');
  });

  it('prefers an http(s) canonical link, and ignores a hostile one', () => {
    document.head.innerHTML = '<link rel="canonical" href="/drafts/proposal#top">';
    expect(canonicalUrl(document, 'http://127.0.0.1:8377/v1.html?utm_source=x')).toBe('http://127.0.0.1:8377/drafts/proposal');
    document.head.innerHTML = '<link rel="canonical" href="https://drafts.example.org/other-draft">';
    expect(canonicalUrl(document, 'http://127.0.0.1:8377/v1.html')).toBe('http://127.0.0.1:8377/v1.html'); // another site's address does not count
    document.head.innerHTML = '<link rel="canonical" href="javascript:alert(1)">';
    expect(canonicalUrl(document, 'http://127.0.0.1:8377/v1.html')).toBe('http://127.0.0.1:8377/v1.html');
  });
});

describe('linkify', () => {
  it('links only http(s) URLs and leaves trailing punctuation to the sentence', () => {
    expect(linkify('See https://igf.org/a?b=1. Or javascript:alert(1) and <b>x</b>')).toEqual([
      { text: 'See ' },
      { text: 'https://igf.org/a?b=1', href: 'https://igf.org/a?b=1' },
      { text: '. Or javascript:alert(1) and <b>x</b>' },
    ]);
    expect(linkify('no links')).toEqual([{ text: 'no links' }]);
  });
});

describe('time', () => {
  it('shows UTC on hover and a relative time in the list', () => {
    expect(utc(Date.UTC(2026, 10, 27, 9, 5))).toBe('2026-11-27 09:05 UTC');
    const now = Date.UTC(2026, 10, 27, 12);
    expect(relativeTime(now - 10_000, now, 'en')).toBe('now');
    expect(relativeTime(now - 5 * 60_000, now, 'en')).toBe('5 minutes ago');
    expect(relativeTime(now - 3 * 3600_000, now, 'en')).toBe('3 hours ago');
    expect(relativeTime(now - 26 * 3600_000, now, 'en')).toBe('yesterday');
    expect(relativeTime(now - 5 * 60_000, now, 'fr')).toBe('il y a 5 minutes');
    expect(relativeTime(now - 90 * 86400_000, now)).toBe('2026-08-29');
  });
});
