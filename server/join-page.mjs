// The invite landing page, `/join#<code>`, served by every Margins signaling server. The code stays
// in the fragment (browsers never send it); a script in the page reads the group's name and the
// chair's key from it to show who invites, and says how to hand it to the extension: press the
// Margins button on this page. Nothing here is trusted: the extension checks the invite's
// signature before anyone joins.
import { createHash } from 'node:crypto';

const SCRIPT = `
(async () => {
  const show = (id) => { document.getElementById(id).hidden = false; };
  try {
    const code = decodeURIComponent(location.hash.slice(1));
    const parts = code.split('.');
    if (parts[0] !== 'margins1' || parts.length !== 3) return show('no-code');
    const b64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const json = new TextDecoder().decode(Uint8Array.from(atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4)), (c) => c.charCodeAt(0)));
    const invite = JSON.parse(json);
    document.getElementById('group').textContent = String(invite.name).slice(0, 120);
    const raw = Uint8Array.from(atob(invite.chair.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (invite.chair.length % 4)) % 4)), (c) => c.charCodeAt(0));
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', raw)).slice(0, 16);
    const id = btoa(String.fromCharCode(...digest)).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
    document.getElementById('fingerprint').textContent = id.slice(0, 16).match(/.{1,4}/g).join(' ');
    show('invite');
  } catch {
    show('no-code');
  }
})();
`;

const STYLE = `
body { font: 16px/1.5 system-ui, sans-serif; color: #1d1d1f; background: #fafaf7; margin: 0; }
main { max-width: 40rem; margin: 3rem auto; padding: 0 1.25rem; }
h1 { font-size: 1.6rem; }
.fingerprint { font-family: ui-monospace, monospace; background: #eef3fb; padding: 0 .3em; }
.step { background: #fff; border: 1px solid #ddd; border-radius: 8px; padding: .75rem 1rem; margin: 1rem 0; }
`;

const hash = (text) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/** Security headers for the page: only its own script and style run, nothing loads from elsewhere. */
export const JOIN_PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': `default-src 'none'; script-src ${hash(SCRIPT)}; style-src ${hash(STYLE)}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
};

export const JOIN_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Join a review group — Margins</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>Join a review group on Margins</h1>
<div id="invite" hidden>
  <p>You are invited to review drafts with <strong id="group"></strong>.</p>
  <p>The chair's key is <span id="fingerprint" class="fingerprint"></span>. Compare it with the one the chair gave you
  (by phone, in a meeting): if they differ, do not join.</p>
  <div class="step">
    <p><strong>Margins is installed:</strong> press the Margins button in your browser's toolbar now, on this page.
    The join page opens; enter the name the group will know you by.</p>
  </div>
  <div class="step">
    <p><strong>Not yet:</strong> install the Margins extension for Chrome, Edge or Firefox (ask your chair where
    your group gets it), then open this link again.</p>
  </div>
  <p>Margins keeps comments in the members' browsers and syncs them directly between them. This server
  relays their connections; if your group's chair admitted it as a device of the group, it also keeps
  the group's reviews, so that members who are never online at the same time still see each other's
  comments. The invite in this link never reaches the server.</p>
</div>
<div id="no-code" hidden>
  <p>This link holds no Margins invite. Ask the chair of your group to send the invite link again.</p>
</div>
</main>
<script>${SCRIPT}</script>
</body>
</html>`;
