import { createContext } from 'preact';
import type { ComposerDrafts } from '../../lib/panel/drafts';

/** Where composers keep unsent text; null when the overlay runs without storage. */
export const DraftsContext = createContext<ComposerDrafts | null>(null);
