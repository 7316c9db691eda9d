/**
 * Resolves `reference` against `base`, where `base` may itself be relative to the page
 * (tus({ endpoint: '/files' })). Without a page (SSR, Node tests) a relative base stays relative:
 * the result is then an origin-relative path, which is what the caller gave us.
 */
export function resolveUrl(reference: string, base: string): string {
  const page = pageHref();
  if (page !== undefined) return new URL(reference, new URL(base, page)).href;
  if (isAbsolute(base)) return new URL(reference, base).href;
  if (isAbsolute(reference)) return reference;
  const resolved = new URL(reference, new URL(base, PLACEHOLDER_ORIGIN));
  return `${resolved.pathname}${resolved.search}`;
}

/** An endpoint as the page sees it: absolute in a browser, unchanged where there is no page. */
export function absoluteUrl(url: string): string {
  return resolveUrl(url, url);
}

const PLACEHOLDER_ORIGIN = 'http://relative.invalid';

function isAbsolute(url: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(url);
}

function pageHref(): string | undefined {
  const location: { href?: unknown } | undefined = (globalThis as { location?: { href?: unknown } }).location;
  return typeof location?.href === 'string' ? location.href : undefined;
}
