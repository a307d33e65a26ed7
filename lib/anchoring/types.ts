/** W3C Web Annotation selectors, with the spec's field names. */
export interface TextQuoteSelector {
  type: 'TextQuoteSelector';
  exact: string;
  prefix?: string;
  suffix?: string;
}

/** UTF-16 code-unit offsets into the page text as `extractText` produces it. */
export interface TextPositionSelector {
  type: 'TextPositionSelector';
  start: number;
  end: number;
}

/** Where a thread points in the draft: the selectors plus the nearest section heading. */
export interface Anchor {
  quote: TextQuoteSelector;
  position?: TextPositionSelector;
  section?: string;
  /** Fingerprint of the draft text the selectors were taken from (see lib/page/document-identity). */
  fingerprint?: string;
}
