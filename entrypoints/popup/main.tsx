import { render } from 'preact';
import { browser } from 'wxt/browser';
import { hubLink } from '../../lib/extension/hub-port';
import { canAnnotate, injectOverlay } from '../../lib/extension/inject-overlay';
import { inviteInLink } from '../../lib/groups/invite-link';
import { Dashboard } from '../../components/dashboard/Dashboard';
import { InjectProblem } from '../../components/popup/InjectProblem';
import { OpenPanel } from '../../components/popup/OpenPanel';
import { SiteAccess } from '../../components/popup/SiteAccess';
import '../../components/popup/popup.css';
import '../../components/dashboard/dashboard.css';

// Clicking the toolbar button opens this dashboard and puts the page agent in the tab (activeTab);
// "Open the review panel" shows the draft's review beside it. Pressing it again changes nothing
// already there. The dashboard is drawn first; the tab's part follows once the browser says which tab.
const app = document.getElementById('app')!;
const client = hubLink();
const show = (tab?: { id?: number; url?: string }, problem?: string) =>
  render(
    <>
      {problem ? <InjectProblem message={problem} /> : null}
      {tab?.id !== undefined && canAnnotate(tab.url) && !problem ? <OpenPanel tabId={tab.id} onProblem={(p) => show(tab, p)} /> : null}
      <Dashboard client={client} />
      {tab ? <SiteAccess url={tab.url} /> : null}
    </>,
    app,
  );
show();
void browser.tabs.query({ active: true, currentWindow: true }).then(([tab]) => {
  // The button pressed on a group server's invite page: that is the member asking to join.
  const invite = inviteInLink(tab?.url);
  if (invite) return void browser.tabs.create({ url: `${browser.runtime.getURL('/join.html')}#${invite}` }).then(() => window.close());
  show(tab ?? {});
  if (tab?.id !== undefined && canAnnotate(tab.url)) injectOverlay(tab.id).catch((error: Error) => show(tab, error.message));
});
