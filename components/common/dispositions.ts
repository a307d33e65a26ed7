import { i18n } from '#i18n';
import type { Disposition } from '../../lib/review/events';

/** What each disposition is called, in the reader's language (sidebar, dashboard). */
export const DISPOSITION_LABEL: Record<Disposition, () => string> = {
  accepted: () => i18n.t('dispositionAccepted'),
  'accepted-with-changes': () => i18n.t('dispositionAcceptedWithChanges'),
  'not-accepted': () => i18n.t('dispositionNotAccepted'),
  noted: () => i18n.t('dispositionNoted'),
  duplicate: () => i18n.t('dispositionDuplicate'),
  deferred: () => i18n.t('dispositionDeferred'),
};
