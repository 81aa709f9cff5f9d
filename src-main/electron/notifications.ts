import { Notification } from 'electron';
import type { NotificationSpec } from './notify-rules.ts';

// Held until closed: a notification collected too early loses its click handler on some platforms.
const live = new Set<Notification>();

/** Shows a desktop notification; a click runs onClick (brings the window forward). */
export function showNotification(spec: NotificationSpec, onClick: () => void): void {
  if (!Notification.isSupported()) return;
  const notification = new Notification({
    title: spec.title,
    body: spec.body,
    silent: spec.kind === 'tray-hint',
  });
  live.add(notification);
  notification.on('click', onClick);
  notification.on('close', () => live.delete(notification));
  notification.show();
}
