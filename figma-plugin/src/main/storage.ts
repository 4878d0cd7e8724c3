import type { FigmaPort } from './figma-port';

// Kept per user and per machine by Figma (figma.clientStorage), never in the document,
// so a token never travels with a shared file.
const API_URL_KEY = 'apiUrl';
const TOKEN_KEY = 'token';

type ClientStorage = FigmaPort['clientStorage'];

export type Settings = { apiUrl: string | null; token: string | null };

async function readString(storage: ClientStorage, key: string): Promise<string | null> {
  const value: unknown = await storage.getAsync(key);
  // Anything but a non-empty string (an older format, a hand-edited store) reads as unset.
  return typeof value === 'string' && value !== '' ? value : null;
}

export async function loadSettings(storage: ClientStorage): Promise<Settings> {
  const [apiUrl, token] = await Promise.all([
    readString(storage, API_URL_KEY),
    readString(storage, TOKEN_KEY),
  ]);
  return { apiUrl, token };
}

export async function saveSignIn(storage: ClientStorage, apiUrl: string, token: string): Promise<void> {
  await storage.setAsync(API_URL_KEY, apiUrl);
  await storage.setAsync(TOKEN_KEY, token);
}

export async function saveApiUrl(storage: ClientStorage, apiUrl: string): Promise<void> {
  await storage.setAsync(API_URL_KEY, apiUrl);
}

/** Sign out: the token goes, the API address stays for the next sign-in. */
export async function forgetToken(storage: ClientStorage): Promise<void> {
  await storage.deleteAsync(TOKEN_KEY);
}
