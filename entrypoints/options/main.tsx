import { render } from 'preact';
import { hubClient } from '../../lib/extension/hub-port';
import { GroupsPage } from '../../components/options/GroupsPage';
import { SitesSection } from '../../components/options/SitesSection';
import '../../components/options/page.css';

render(
  <>
    <GroupsPage client={hubClient()} />
    <SitesSection />
  </>,
  document.getElementById('app')!,
);
