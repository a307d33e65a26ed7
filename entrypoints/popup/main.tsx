import { render } from 'preact';
import { browser } from 'wxt/browser';
import { hubClient } from '../../lib/extension/hub-port';
import { canAnnotate, injectOverlay } from '../../lib/extension/inject-overlay';
import { Dashboard } from '../../components/popup/Dashboard';
import { SiteAccess } from '../../components/popup/SiteAccess';
import '../../components/popup/popup.css';

// Clicking the toolbar button both opens this dashboard and puts the overlay on the page.
void browser.tabs.query({ active: true, currentWindow: true }).then(([tab]) => {
  if (tab?.id !== undefined && canAnnotate(tab.url)) {
    injectOverlay(tab.id).catch((error) => console.warn('Margins: cannot open on this page', error));
  }
  render(
    <>
      <Dashboard client={hubClient()} />
      <SiteAccess url={tab?.url} />
    </>,
    document.getElementById('app')!,
  );
});
