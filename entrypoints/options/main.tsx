import { render } from 'preact';
import { i18n } from '#i18n';
import { hubClient } from '../../lib/extension/hub-port';
import { GroupsPage } from '../../components/options/GroupsPage';
import { SitesSection } from '../../components/options/SitesSection';
import '../../components/options/page.css';

document.title = i18n.t('groupsTitle');
render(
  <>
    <GroupsPage client={hubClient()} />
    <SitesSection />
  </>,
  document.getElementById('app')!,
);
