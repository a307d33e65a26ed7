import { render } from 'preact';
import { i18n } from '#i18n';
import { hubLink } from '../../lib/extension/hub-port';
import { JoinPage } from '../../components/options/JoinPage';
import '../../components/options/page.css';

// The invite travels in the fragment: it never reaches a server, not even in a Referer.
document.title = i18n.t('joinTitle');
// A fragment that is no valid percent-encoding is shown as it is: the page then says what is wrong with it.
const fragment = location.hash.slice(1);
let code = fragment;
try {
  code = decodeURIComponent(fragment);
} catch {
  // kept as it came
}
render(<JoinPage client={hubLink()} code={code} />, document.getElementById('app')!);
