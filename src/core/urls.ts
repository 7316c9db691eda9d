/** The URL without its query string and hash, where per-session tokens and presigned signatures live. */
export function withoutQuery(url: string): string {
  return url.replace(/[?#].*$/, '');
}

/** Remove user:password@ from a URL so it can be shown or stored. */
export function stripCredentials(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1');
}
