/**
 * A loader for code split into a chunk of its own (a dynamic import): the first call starts the load
 * and later calls share it; a load that failed (the network dropped just then) is forgotten, so the
 * next call asks again instead of failing for the rest of the page's life. The failure is also
 * handled here, so a preload nobody awaits is not reported as unhandled. (A browser that still keeps
 * failed module fetches, as the HTML spec did before whatwg/html#10327, fails again until a reload.)
 *   const loadSession = loadOnce(() => import('./MySession.js'));
 */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | null = null;
  return () => {
    if (!loading) {
      const started = load();
      loading = started;
      started.catch(() => {
        if (loading === started) loading = null;
      });
    }
    return loading;
  };
}
