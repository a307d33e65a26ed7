import { useEffect, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import { browser } from 'wxt/browser';
import { CHECK_REMINDERS, NOTIFICATIONS } from '../../lib/extension/reminders';

/**
 * Reminders need the notifications permission, asked for here, when someone turns them on (never
 * at install). Opening the dashboard also has the background look for due reminders and update
 * the badge.
 */
export function Reminders() {
  const [state, setState] = useState<'unknown' | 'off' | 'on' | 'refused'>('unknown');
  useEffect(() => {
    void browser.permissions.contains(NOTIFICATIONS).then((on) => setState(on ? 'on' : 'off'));
    void browser.runtime.sendMessage({ type: CHECK_REMINDERS }).catch(() => undefined);
  }, []);
  if (state === 'unknown') return null;
  if (state === 'on') return <p class="reminders on">{i18n.t('remindersAreOn')}</p>;
  return (
    <p class="reminders">
      <button
        type="button"
        class="link remind-me"
        onClick={async () => {
          const granted = await browser.permissions.request(NOTIFICATIONS);
          setState(granted ? 'on' : 'refused');
          if (granted) await browser.runtime.sendMessage({ type: CHECK_REMINDERS });
        }}
      >
        {i18n.t('remindersOn')}
      </button>
      {state === 'refused' ? <span> — {i18n.t('remindersRefused')}</span> : null}
    </p>
  );
}
