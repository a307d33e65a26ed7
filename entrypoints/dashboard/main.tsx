import { render } from 'preact';
import { hubClient } from '../../lib/extension/hub-port';
import { Dashboard } from '../../components/dashboard/Dashboard';
import '../../components/popup/popup.css';
import '../../components/dashboard/dashboard.css';

// The chair's full-page view of every review: the popup's dashboard with every detail open.
render(<Dashboard client={hubClient()} full />, document.getElementById('app')!);
