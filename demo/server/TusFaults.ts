/** Only requests carrying this X-Test-Scope header match, so test files running at once never take each other's faults. */
interface Scoped {
  scope?: string;
}

/** Faults a test can inject into the next matching request of one tus route. */
export type TusFault = Scoped & (
  /** Answer with `status` (and Retry-After seconds) without touching the upload. */
  | { type: 'fail'; method: string; status: number; retryAfter?: number; body?: string; times?: number }
  /** Take `afterBytes` of the body, then stop reading for `ms` (or until the client hangs up). */
  | { type: 'stall'; method: string; afterBytes: number; ms: number; times?: number }
  /** Flip one bit of the body as it arrives, as a bad network or disk would. */
  | { type: 'corrupt'; method: string; times?: number }
  /** Answer nothing for `ms` (or until the client hangs up), then handle the request as usual: a server that never answers. */
  | { type: 'hang'; method: string; ms: number; times?: number }
  /** A proxy that caps request bodies: answer 413 to every request whose Content-Length exceeds `maxBody`, until cleared. */
  | { type: 'limit'; method: string; maxBody: number; times?: never });

type Pending = TusFault & { remaining: number };
type FaultOptions<T extends TusFault['type']> = Omit<Extract<TusFault, { type: T }>, 'type'>;

/** The request header that names a test's scope. */
export const TEST_SCOPE_HEADER = 'x-test-scope';

/** A queue of injected faults; each applies to the next `times` (default 1) requests that match. */
export class TusFaults {
  private pending: Pending[] = [];

  inject(fault: TusFault): void {
    this.pending.push({ ...fault, remaining: fault.times ?? 1 });
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
      (f) => f.type === type && f.method.toUpperCase() === method.toUpperCase() && (f.scope === undefined || f.scope === scope),
    );
    const fault = this.pending[index];
    if (!fault || !isOfType(fault, type)) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.pending.splice(index, 1);
    return fault;
  }

  /** The body limit a 'limit' fault sets for this method and scope; it stays until clear(). */
  bodyLimit(method: string, scope: string | null): number | undefined {
    const fault = this.pending.find((f) => f.type === 'limit' && f.method.toUpperCase() === method.toUpperCase() && (f.scope === undefined || f.scope === scope));
    return fault && isOfType(fault, 'limit') ? fault.maxBody : undefined;
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
