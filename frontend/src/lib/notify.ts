import type { NotificationInstance } from 'antd/es/notification/interface';
import { problemText } from '@/api/problem';

// Set by <NotificationBridge/> inside Ant Design's <App>, so toasts raised from the query cache
// (outside React) use the themed, context-aware instance.
let instance: NotificationInstance | undefined;

export function setNotificationInstance(next: NotificationInstance | undefined): void {
  instance = next;
}

/** An error toast with the problem+json title and detail. */
export function notifyError(error: unknown, context?: string): void {
  const { title, detail } = problemText(error);
  instance?.error({
    message: context ? `${context}: ${title}` : title,
    description: detail,
    placement: 'bottomRight',
    duration: 8,
  });
}

export function notifySuccess(message: string, description?: string): void {
  instance?.success({ message, description, placement: 'bottomRight', duration: 4 });
}
