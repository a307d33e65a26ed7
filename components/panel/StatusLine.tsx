import { i18n } from '#i18n';
import type { SessionView } from '../../lib/panel/session';
import { countThreads } from '../../lib/review/state';

/** Whether changes are safe: connected to the hub, saved to disk, or kept in memory after a failure. */
export function StatusLine({ view }: { view: SessionView }) {
  const { link, state } = view;
  let text: string;
  let kind = 'ok';
  if (link.fatal) {
    text = link.fatal;
    kind = 'bad';
  } else if (!link.storage.ok) {
    text = link.storage.message ?? i18n.t('storageProblem');
    kind = 'bad';
  } else if (!link.connected) {
    text = i18n.t('connecting');
    kind = 'warn';
  } else if (state?.meta) {
    const open = countThreads(state).open;
    text = i18n.t('openCount', open, [String(open)]);
    const net = view.reviewId ? link.peers[view.reviewId] : undefined;
    if (net?.receiving) {
      text += ' · ' + receivingText(net.receiving);
    } else if (state.meta.group && net?.refused) {
      text += ' · ' + i18n.t('roomRefused');
      kind = 'bad';
    } else if (state.meta.group && net) {
      // A handshake that keeps failing shows as "connecting", not as being offline.
      if (net.peers > 0) text += ' · ' + i18n.t('peersConnected', net.peers, [String(net.peers)]);
      else {
        text += ' · ' + (net.connecting > 0 ? i18n.t('peersConnecting', net.connecting, [String(net.connecting)]) : i18n.t('offlineSaved'));
        kind = 'warn';
      }
    }
  } else {
    // A newcomer's first copy of a big review arrives in pieces, the review's start among them.
    const receiving = view.reviewId ? link.peers[view.reviewId]?.receiving : null;
    text = receiving ? receivingText(receiving) : i18n.t('ready');
  }
  return (
    <p class={`status ${kind}`} role="status" aria-live="polite">
      {text}
    </p>
  );
}

function receivingText({ done, total }: { done: number; total: number }): string {
  return i18n.t('receivingReview', [String(Math.floor((100 * done) / total))]);
}
