import { i18n } from '#i18n';
import { openPanel } from '../../lib/extension/open-panel';

/**
 * Opens the review panel beside this tab's draft. The panel opens only inside the click itself,
 * so the call comes first; if the browser refuses, the reason shows here.
 */
export function OpenPanel({ tabId, onProblem }: { tabId: number; onProblem: (message: string) => void }) {
  return (
    <p class="open-panel">
      <button
        type="button"
        class="primary"
        autoFocus
        onClick={() => {
          openPanel({ tabId }).then(
            () => window.close(),
            (e: Error) => onProblem(e.message),
          );
        }}
      >
        {i18n.t('openPanel')}
      </button>
    </p>
  );
}
