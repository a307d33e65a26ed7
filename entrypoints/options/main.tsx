import { render } from 'preact';
import { i18n } from '#i18n';
import { hubLink } from '../../lib/extension/hub-port';
import { GroupsPage } from '../../components/options/GroupsPage';
import { SitesSection } from '../../components/options/SitesSection';
import { IdentitySection } from '../../components/options/IdentitySection';
import '../../components/options/page.css';

document.title = i18n.t('groupsTitle');
render(
  <>
    <GroupsPage client={hubLink()} />
    <SitesSection />
    <IdentitySection client={hubLink()} />
  </>,
  document.getElementById('app')!,
);
