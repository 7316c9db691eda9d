// Types of bundleSize.mjs (plain JS so `npm run size` runs with node alone), for bundleSize.test.ts.
export interface Part {
  code: string;
  minBytes: number;
  gzipBytes: number;
  /** Source files in this part, relative to the repository root. */
  modules: string[];
}
export interface EntrySize {
  name: string;
  initial: Part;
  /** Startup plus the lazy chunks a plain upload with default options loads (named in `chunks`). */
  firstUpload: Part & { separateGzipBytes: number; chunks: string[] };
  lazy: Array<Part & { name: string }>;
}
export const entries: Record<string, string>;
export const budgets: Record<string, number>;
export const firstUploadBudgets: Record<string, number>;
export function measureEntry(name: string, withMaps?: boolean, plugins?: object[]): Promise<EntrySize>;
export function measureBundles(withMaps?: boolean): Promise<EntrySize[]>;
/** `vite build` with the repository's config into packageDir/dist, plus package.json: the package as npm installs it. */
export function buildPackage(packageDir: string): Promise<void>;
/** The entry bundled the same way against the package built by buildPackage, resolved through its exports. */
export function measureEntryFromPackage(name: string, packageDir: string): Promise<EntrySize>;
