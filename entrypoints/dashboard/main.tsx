import { render } from 'preact';
import { hubLink } from '../../lib/extension/hub-port';
import { Dashboard } from '../../components/dashboard/Dashboard';
import '../../components/popup/popup.css';
import '../../components/dashboard/dashboard.css';

// The chair's full-page view of every review: the popup's dashboard with every detail open.
render(<Dashboard client={hubLink()} full />, document.getElementById('app')!);
