import { render } from 'preact';
import { HubClient } from '../../lib/sync/hub-client';
import { connectToHub } from '../../lib/extension/hub-port';
import { PanelApp } from '../../components/panel/PanelApp';
import '../../components/panel/panel.css';
import '../../components/dashboard/dashboard.css';

// The review panel: the browser's side panel (Chrome) or sidebar (Firefox). `?tab=N` shows tab N
// whatever is active (tests, and a panel opened in its own window).
const pinned = Number(new URLSearchParams(location.search).get('tab'));
const client = new HubClient(connectToHub).start();
render(<PanelApp client={client} pinnedTab={Number.isInteger(pinned) && pinned > 0 ? pinned : null} />, document.getElementById('app')!);
