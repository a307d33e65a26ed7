import { render } from 'preact';
import { browser } from 'wxt/browser';
import { hubLink } from '../../lib/extension/hub-port';
import { canAnnotate, injectOverlay } from '../../lib/extension/inject-overlay';
import { Dashboard } from '../../components/dashboard/Dashboard';
import { InjectProblem } from '../../components/popup/InjectProblem';
import { SiteAccess } from '../../components/popup/SiteAccess';
import '../../components/popup/popup.css';
import '../../components/dashboard/dashboard.css';

// Clicking the toolbar button both opens this dashboard and puts the overlay on the page.
void browser.tabs.query({ active: true, currentWindow: true }).then(([tab]) => {
  const app = document.getElementById('app')!;
  const show = (problem?: string) =>
    render(
      <>
        {problem ? <InjectProblem message={problem} /> : null}
        <Dashboard client={hubLink()} />
        <SiteAccess url={tab?.url} />
      </>,
      app,
    );
  show();
  if (tab?.id !== undefined && canAnnotate(tab.url)) injectOverlay(tab.id).catch((error: Error) => show(error.message));
});
