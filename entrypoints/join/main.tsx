import { render } from 'preact';
import { i18n } from '#i18n';
import { hubLink } from '../../lib/extension/hub-port';
import { JoinPage } from '../../components/options/JoinPage';
import '../../components/options/page.css';

// The invite travels in the fragment: it never reaches a server, not even in a Referer.
document.title = i18n.t('joinTitle');
render(<JoinPage client={hubLink()} code={decodeURIComponent(location.hash.slice(1))} />, document.getElementById('app')!);
