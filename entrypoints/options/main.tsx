import { render } from 'preact';
import { hubClient } from '../../lib/extension/hub-port';
import { GroupsPage } from '../../components/options/GroupsPage';
import '../../components/options/page.css';

render(<GroupsPage client={hubClient()} />, document.getElementById('app')!);
