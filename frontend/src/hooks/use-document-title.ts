import { useEffect } from 'react';

export const APP_NAME = 'Brand asset generator';

/** Each page names itself in the tab and for screen readers announcing the new page. */
export function useDocumentTitle(title: string | null | undefined): void {
  useEffect(() => {
    document.title = title ? `${title} · ${APP_NAME}` : APP_NAME;
  }, [title]);
}
