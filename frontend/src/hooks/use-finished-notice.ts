import { useEffect, useRef } from 'react';

export type Outcome = 'complete' | 'failed' | 'cancelled';

const TITLE_MARK: Record<Outcome, string> = {
  complete: '✓ Images ready',
  failed: '✗ Job failed',
  cancelled: 'Job cancelled',
};

const ASKED_KEY = 'bag.notificationsAsked';

function notificationsSupported(): boolean {
  return typeof window !== 'undefined' && 'Notification' in window;
}

/**
 * Asks once whether the app may notify, when someone submits their first job (never on page
 * load): called from the submit, while the click still counts as the user's own action. A "no"
 * (or a dismissed prompt) is not asked again.
 */
export function askForNotificationsOnce(): void {
  if (!notificationsSupported() || Notification.permission !== 'default') return;
  if (localStorage.getItem(ASKED_KEY)) return;
  localStorage.setItem(ASKED_KEY, new Date().toISOString());
  // Old Safari takes a callback and returns nothing; either way the answer is not needed here.
  void Promise.resolve(Notification.requestPermission()).catch(() => {});
}

/**
 * When a job ends while its tab is hidden, the tab's title says so ("✓ Images ready · …") until
 * the tab is shown again, and a system notification is shown if permitted. A job seen already
 * ended (opened later from a link) says nothing.
 */
export function useFinishedNotice(jobId: string, status: string | undefined, prompt: string | undefined): void {
  const seenActive = useRef(false);
  const told = useRef(false);

  useEffect(() => {
    if (status === 'queued' || status === 'running') {
      seenActive.current = true;
      return;
    }
    if (!status || !seenActive.current || told.current) return;
    if (document.visibilityState !== 'hidden') return;
    told.current = true;
    const outcome = status as Outcome;
    const mark = TITLE_MARK[outcome] ?? 'Job ended';
    const plain = document.title;
    document.title = `${mark} · ${plain}`;

    let notification: Notification | null = null;
    if (notificationsSupported() && Notification.permission === 'granted' && outcome !== 'cancelled') {
      try {
        notification = new Notification(mark, { body: prompt, tag: `job-${jobId}` });
        notification.onclick = () => {
          window.focus();
          notification?.close();
        };
      } catch {
        // Some mobile browsers allow notifications only from a service worker; the title still says it.
      }
    }

    const onVisible = () => {
      if (document.visibilityState !== 'visible') return;
      if (document.title.startsWith(`${mark} · `)) document.title = document.title.slice(mark.length + 3);
      notification?.close();
      document.removeEventListener('visibilitychange', onVisible);
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, [jobId, status, prompt]);
}
