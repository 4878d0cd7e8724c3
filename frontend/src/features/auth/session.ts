import { useSyncExternalStore } from 'react';

/**
 * Who is signed in, as far as this browser knows. The server has the last word: any 401 from the
 * API ends the session (`endSession('expired')`) and the app shell sends the person to sign in.
 */
export type SignInMethod = 'dev' | 'entra';

export type Session =
  | { status: 'starting' }
  | { status: 'signed-out'; reason: 'none' | 'expired' | 'signed-out' }
  | { status: 'signed-in'; method: SignInMethod; name: string };

const DEV_NAME_KEY = 'bag.devName';
const DEV_REVIEWER_KEY = 'bag.devReviewer';
const RETURN_TO_KEY = 'bag.returnTo';

let session: Session = { status: 'starting' };
const listeners = new Set<() => void>();

function set(next: Session) {
  session = next;
  for (const listener of listeners) listener();
}

export function getSession(): Session {
  return session;
}

export function subscribeSession(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useSession(): Session {
  return useSyncExternalStore(subscribeSession, getSession, getSession);
}

export function setSignedIn(method: SignInMethod, name: string): void {
  set({ status: 'signed-in', method, name });
}

export function setSignedOut(reason: 'none' | 'expired' | 'signed-out'): void {
  set({ status: 'signed-out', reason });
}

/** Back to the state before start-up (tests, and a fresh sign-in configuration). */
export function resetSession(): void {
  set({ status: 'starting' });
}

// The development sign-in's token is `dev:<name>`; the name is kept so a reload stays signed in.
export function storedDevName(): string | null {
  try {
    return localStorage.getItem(DEV_NAME_KEY);
  } catch {
    return null;
  }
}

/** Whether the development sign-in asked for the reviewer role (kept beside the name). */
export function storedDevReviewer(): boolean {
  try {
    return localStorage.getItem(DEV_REVIEWER_KEY) === '1';
  } catch {
    return false;
  }
}

export function storeDevName(name: string | null, reviewer = false): void {
  try {
    if (name === null) localStorage.removeItem(DEV_NAME_KEY);
    else localStorage.setItem(DEV_NAME_KEY, name);
    if (name !== null && reviewer) localStorage.setItem(DEV_REVIEWER_KEY, '1');
    else localStorage.removeItem(DEV_REVIEWER_KEY);
  } catch {
    // Storage refused (private mode): the session lasts until the page is closed.
  }
}

// Headers carry Latin-1 at most, so the name goes percent-encoded as UTF-8 (auth/dev.py decodes it);
// `;reviewer` after it asks for the reviewer role (a `;` is never part of a name).
export function devToken(name: string, reviewer = false): string {
  return `dev:${encodeURIComponent(name)}${reviewer ? ';reviewer' : ''}`;
}

// Where to go back to after a Microsoft sign-in round trip (kept out of the OAuth `state`).
export function rememberReturnTo(path: string): void {
  try {
    sessionStorage.setItem(RETURN_TO_KEY, path);
  } catch {
    /* best effort */
  }
}

export function takeReturnTo(): string | null {
  try {
    const value = sessionStorage.getItem(RETURN_TO_KEY);
    sessionStorage.removeItem(RETURN_TO_KEY);
    return value;
  } catch {
    return null;
  }
}

/** Only same-app paths are followed after sign-in, never another site. */
export function safeNextPath(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  if (next.startsWith('/signin')) return '/';
  return next;
}
