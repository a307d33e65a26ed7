/**
 * The background's side of reminders: every 15 minutes (an alarm, which survives the service
 * worker's sleep and the browser's restarts), when the browser starts and when a surface asks, it takes the reminders the
 * hub says are due, shows each as a notification when the user allowed them, and sets the badge.
 */
import { browser } from 'wxt/browser';
import { i18n } from '#i18n';
import type { Reminder } from '../hub/reminders';
import { countdown } from './countdown';
import type { HubLink } from '../sync/hub-link';

export const REMINDER_ALARM = 'margins-reminders';
export const CHECK_REMINDERS = 'margins:check-reminders';
const EVERY_MINUTES = 15;
export const NOTIFICATIONS = { permissions: ['notifications'] } as Parameters<typeof browser.permissions.contains>[0];

/** Creates the alarm once: creating it again on every wake would push its first firing back each time. */
export async function scheduleReminders(): Promise<void> {
  if (!(await browser.alarms.get(REMINDER_ALARM))) await browser.alarms.create(REMINDER_ALARM, { periodInMinutes: EVERY_MINUTES, delayInMinutes: 1 });
}

/** The time left as it is when shown: a browser started late, or a period set short, may show the 48-hour reminder with hours left. */
function message(r: Reminder, now: number): string {
  const closes = `${r.closes.replace('T', ' ').slice(0, 16)} UTC`;
  if (r.kind === 'closed') return i18n.t('reminderClosed', [String(r.open)]);
  return i18n.t('reminderClosing', [countdown(Date.parse(r.closes) - now), closes]);
}

export async function checkReminders(client: HubLink): Promise<Reminder[]> {
  // Taken (and so marked sent) only when they can be shown.
  const allowed = (await browser.permissions.contains(NOTIFICATIONS)) && typeof browser.notifications?.create === 'function';
  const { due, badge } = await client.request('reminders', { take: allowed });
  for (const r of due) {
    await browser.notifications.create(r.key, { type: 'basic', iconUrl: browser.runtime.getURL('/icon/128.png'), title: r.title, message: message(r, Date.now()) });
  }
  // Manifest V3's `action` is Manifest V2's (Firefox's) `browserAction`.
  const action = browser.action ?? (browser as unknown as { browserAction: typeof browser.action }).browserAction;
  await action.setBadgeText({ text: badge.text });
  if (badge.text) await action.setBadgeBackgroundColor({ color: badge.kind === 'open' ? '#a1261b' : '#1f5fbf' });
  return due;
}
