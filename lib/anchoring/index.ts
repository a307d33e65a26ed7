export type { TextQuoteSelector, TextPositionSelector, Anchor } from './types';
export { matchQuote, type Match } from './match';
export { extractText, textRange, textOffset, sectionAt, IGNORE_ATTR, type PageText } from './text';
export { describeRange, describeOffsets, describeText, CONTEXT_LENGTH } from './describe';
