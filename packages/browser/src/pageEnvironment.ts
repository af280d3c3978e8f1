import type { ClientEnvironment, EnvironmentChange } from '@resock/core';

/**
 * The page as the client sees it: `navigator.onLine`, `document.visibilityState`, and the
 * `online` / `offline` / `visibilitychange` / `pagehide` / `pageshow` events. Undefined outside a
 * page (a Web Worker has no document and no page lifecycle), where the client then assumes it
 * is always online and visible.
 */
export function pageEnvironment(scope: typeof globalThis = globalThis): ClientEnvironment | undefined {
  const win = scope as typeof globalThis & Partial<Pick<Window, 'addEventListener' | 'removeEventListener'>>;
  const doc = scope.document;
  if (!doc || typeof win.addEventListener !== 'function') return undefined;
  return {
    online: () => scope.navigator?.onLine !== false,
    visible: () => doc.visibilityState !== 'hidden',
    subscribe(listener) {
      const on = (change: EnvironmentChange) => () => listener(change);
      const online = on('online');
      const offline = on('offline');
      const pagehide = on('pagehide');
      const visibility = () => listener(doc.visibilityState === 'hidden' ? 'hidden' : 'visible');
      // Only a page restored from the back/forward cache has a socket to bring back.
      const pageshow = (event: PageTransitionEvent) => {
        if (event.persisted) listener('pageshow');
      };
      win.addEventListener?.('online', online);
      win.addEventListener?.('offline', offline);
      win.addEventListener?.('pagehide', pagehide);
      win.addEventListener?.('pageshow', pageshow);
      doc.addEventListener('visibilitychange', visibility);
      return () => {
        win.removeEventListener?.('online', online);
        win.removeEventListener?.('offline', offline);
        win.removeEventListener?.('pagehide', pagehide);
        win.removeEventListener?.('pageshow', pageshow);
        doc.removeEventListener('visibilitychange', visibility);
      };
    },
  };
}
