/** True for an absolute http(s) address: what the API address setting must be. */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && !!url.host;
  } catch {
    return false;
  }
}

/** The web app's page where people make personal access tokens (Settings → Access tokens). */
export function tokensPageUrl(apiUrl: string): string {
  return `${apiUrl}/app/settings`;
}
