import { useEffect, useState } from 'react';
import type { JobImage } from '../api/client';
import { onMainMessage, postToMain } from '../bridge';
import { fetchImages } from '../lib/image-bytes';
import { shortPrompt } from '../lib/job-text';

export type PlaceState =
  | { state: 'idle' }
  | { state: 'busy'; text: string }
  | { state: 'done'; text: string }
  | { state: 'failed'; text: string };

function plural(n: number): string {
  return `${n} ${n === 1 ? 'image' : 'images'}`;
}

/**
 * Puts images into the design: the panel downloads their bytes (main cannot fetch) and asks the main
 * thread to place them; main answers 'placed' or 'place-failed'.
 */
export function usePlacer(apiUrl: string) {
  const [status, setStatus] = useState<PlaceState>({ state: 'idle' });

  useEffect(
    () =>
      onMainMessage((message) => {
        if (message.type === 'placed') {
          const where = message.into === 'selection' ? 'into the selection' : 'on the page';
          setStatus({ state: 'done', text: `Placed ${plural(message.count)} ${where}.` });
        } else if (message.type === 'place-failed') {
          setStatus({ state: 'failed', text: message.message });
        }
      }),
    [],
  );

  async function place(images: JobImage[], prompt: string) {
    if (images.length === 0 || status.state === 'busy') return;
    setStatus({ state: 'busy', text: `Downloading ${plural(images.length)}…` });
    try {
      const bytes = await fetchImages(images, apiUrl);
      setStatus({ state: 'busy', text: `Placing ${plural(images.length)}…` });
      postToMain({ type: 'place', images: bytes, name: shortPrompt(prompt) });
    } catch (error) {
      const text =
        error instanceof TypeError
          ? 'The image could not be downloaded. Check your connection and try again.'
          : error instanceof Error
            ? error.message
            : 'The image could not be downloaded.';
      setStatus({ state: 'failed', text });
    }
  }

  return { status, place };
}
