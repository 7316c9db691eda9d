/** The origin relative URLs are resolved against where there is no page; never a real host. */
const PLACEHOLDER_ORIGIN = 'http://relative.invalid';

/**
 * Resolves `reference` against `base`, where `base` may itself be relative to the page
 * (tus({ endpoint: '/files' })). Without a page (SSR, Node tests) a relative base is resolved against
 * a placeholder origin and the result given back as an origin-relative path, which is what the
 * caller gave us; an absolute one resolves as in a browser.
 */
export function resolveUrl(reference: string, base: string): string {
  const page = (globalThis as { location?: { href?: unknown } }).location?.href;
  const resolved = new URL(reference, new URL(base, typeof page === 'string' ? page : PLACEHOLDER_ORIGIN));
  return resolved.origin === PLACEHOLDER_ORIGIN ? `${resolved.pathname}${resolved.search}` : resolved.href;
}

/** An endpoint as the page sees it: absolute in a browser, unchanged where there is no page. */
export function absoluteUrl(url: string): string {
  return resolveUrl(url, url);
}
