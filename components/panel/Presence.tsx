import { i18n } from '#i18n';
import type { SessionView } from '../../lib/panel/session';
import { visibleName } from '../../lib/review/names';

/**
 * Who else has this draft open now. Presence is signed by the key it names (the network drops any
 * other); a name is shown as the review's member list has it, and someone the review does not know
 * yet is marked as such.
 */
export function Presence({ view }: { view: SessionView }) {
  const room = view.reviewId ? view.link.peers[view.reviewId] : undefined;
  const present = room?.present ?? [];
  if (!present.length || !view.state) return null;
  const names = present.map((p) => {
    const member = view.state!.members[p.key];
    return member && member.role !== 'none' ? visibleName(member.name) || i18n.t('unnamed') : i18n.t('notAdmitted', [visibleName(p.name) || i18n.t('unnamed')]);
  });
  return (
    <p class="presence" aria-live="polite">
      {i18n.t('hereNow', [names.join(', ')])}
    </p>
  );
}
