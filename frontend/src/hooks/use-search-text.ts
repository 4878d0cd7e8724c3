import { useEffect, useRef, useState } from 'react';

/** The API refuses longer searches (of prompts: the history's and the library's). */
export const MAX_SEARCH_LENGTH = 200;

/** How long typing must pause before a search is sent: one request per word, not per key. */
export const SEARCH_DEBOUNCE_MS = 300;

/**
 * A search box's text, sent (`commit`) once typing pauses. `committed` is the search in force (the
 * URL's): Back, Forward and "Clear filters" change it under the box, and the box then shows it; it is
 * left alone when the URL only caught up with what is typed (the search sent is trimmed: overwriting
 * the box would eat the space just typed before the next word). `replace` is true when refining a
 * search already sent: the first word is a step Back can return from, refining it is not.
 */
export function useSearchText(committed: string, commit: (q: string, options: { replace: boolean }) => void) {
  const [text, setText] = useState(committed);
  const [shown, setShown] = useState(committed);
  if (committed !== shown) {
    setShown(committed);
    if (committed !== text.trim()) setText(committed);
  }
  // The latest commit, so a new function from the parent does not restart the pause.
  const commitRef = useRef(commit);
  useEffect(() => {
    commitRef.current = commit;
  });

  const wanted = text.trim();
  useEffect(() => {
    if (wanted === committed) return;
    const timer = setTimeout(() => commitRef.current(wanted, { replace: Boolean(committed && wanted) }), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [wanted, committed]);

  return { text, setText, wanted };
}
