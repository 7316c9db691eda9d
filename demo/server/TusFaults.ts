/** Only requests carrying this X-Test-Scope header match, so test files running at once never take each other's faults. */
interface Scoped {
  scope?: string;
  /** Let this many matching requests through before the fault applies (a fault mid-way). */
  skip?: number;
}

/** Faults a test can inject into the next matching request of one tus route; method '*' matches every method. */
export type TusFault = Scoped & (
  /** Answer with `status` (and Retry-After seconds) without touching the upload. */
  | { type: 'fail'; method: string; status: number; retryAfter?: number; body?: string; times?: number }
  /** Take `afterBytes` of the body, then stop reading for `ms` (or until the client hangs up). */
  | { type: 'stall'; method: string; afterBytes: number; ms: number; times?: number }
  /** Flip one bit of the body as it arrives, as a bad network or disk would. */
  | { type: 'corrupt'; method: string; times?: number }
  /** Answer nothing for `ms` (or until the client hangs up), then handle the request as usual: a server that never answers. */
  | { type: 'hang'; method: string; ms: number; times?: number }
  /**
   * A proxy's cap on request bodies, in force until cleared (times is ignored). 'status': a body whose
   * Content-Length exceeds maxBytes is read and answered with `status` (default 413), as nginx's
   * client_max_body_size or a CDN does; 'cut': maxBytes of the body reach the server, then the
   * connection is dropped, as a proxy that gives up at a byte count.
   */
  | { type: 'body-limit'; method: string; maxBytes: number; action: 'status' | 'cut'; status?: number; times?: number }
  /**
   * A token that expires, in force until cleared: the first Authorization value seen is good for
   * `validRequests` requests; after that, requests carrying it (or none) get `status` (default 401)
   * until one carries another value (a fresh token), which is good from then on.
   */
  | { type: 'token-expiry'; method: string; validRequests: number; status?: number; times?: number }
  /**
   * The server restarted having lost the tail it had acknowledged: the stored bytes are cut to
   * keepBytes (HEAD then answers less), and the request is answered `status` (default 503).
   */
  | { type: 'lose-tail'; method: string; keepBytes: number; status?: number; times?: number }
  /** The upload expired or was deleted mid-way: removed from the store, the request answered `status` (404 or 410). */
  | { type: 'delete-upload'; method: string; status: number; times?: number });

type Pending = TusFault & { remaining: number; skipped: number; token?: { value: string | null; seen: number; expired: (string | null)[] } };

/** Faults in force until cleared, not used up by the requests they apply to. */
const LASTING: ReadonlySet<TusFault['type']> = new Set(['body-limit', 'token-expiry']);
type FaultOptions<T extends TusFault['type']> = Omit<Extract<TusFault, { type: T }>, 'type'>;

/** The request header that names a test's scope. */
export const TEST_SCOPE_HEADER = 'x-test-scope';

/** A queue of injected faults; each applies to the next `times` (default 1) requests that match. */
export class TusFaults {
  private pending: Pending[] = [];

  inject(fault: TusFault): void {
    this.pending.push({ ...fault, remaining: fault.times ?? 1, skipped: 0 });
  }

  failNext(fault: FaultOptions<'fail'>): void {
    this.inject({ type: 'fail', ...fault });
  }

  stallNext(fault: FaultOptions<'stall'>): void {
    this.inject({ type: 'stall', ...fault });
  }

  corruptNext(fault: FaultOptions<'corrupt'>): void {
    this.inject({ type: 'corrupt', ...fault });
  }

  hangNext(fault: FaultOptions<'hang'>): void {
    this.inject({ type: 'hang', ...fault });
  }

  /** The first fault of this type for this method, used up by taking it. */
  take<T extends TusFault['type']>(type: T, method: string, scope: string | null): Extract<TusFault, { type: T }> | undefined {
    const index = this.pending.findIndex(
      (f) => f.type === type && (f.method === '*' || f.method.toUpperCase() === method.toUpperCase()) && (f.scope === undefined || f.scope === scope),
    );
    const fault = this.pending[index];
    if (!fault || !isOfType(fault, type)) return undefined;
    if (fault.skipped < (fault.skip ?? 0)) {
      fault.skipped++;
      return undefined;
    }
    if (LASTING.has(type)) return fault;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.pending.splice(index, 1);
    return fault;
  }

  /**
   * The status to refuse this request with under a 'token-expiry' fault, or null to let it through.
   * Counts the requests the first token was good for; any other token is a fresh one.
   */
  refuseToken(method: string, scope: string | null, authorization: string | null): number | null {
    const fault = this.take('token-expiry', method, scope) as Pending | undefined;
    if (!fault || fault.type !== 'token-expiry') return null;
    const token = (fault.token ??= { value: authorization, seen: 0, expired: [] });
    const refused = fault.status ?? 401;
    if (token.expired.includes(authorization)) return refused;
    if (authorization !== token.value) {
      // A fresh token: the good one from now on; the one it replaces stays refused.
      token.expired.push(token.value);
      token.value = authorization;
      token.seen = Number.NEGATIVE_INFINITY;
      return null;
    }
    token.seen++;
    if (token.seen <= fault.validRequests) return null;
    token.expired.push(token.value);
    return refused;
  }

  clear(): void {
    this.pending = [];
  }

  get size(): number {
    return this.pending.length;
  }
}

function isOfType<T extends TusFault['type']>(fault: TusFault, type: T): fault is Extract<TusFault, { type: T }> {
  return fault.type === type;
}
