import type { Clock, ResumeRecord, UrlStorage } from './ports.js';
import { stripCredentials } from './urls.js';

type FoundRecord = Omit<ResumeRecord, 'createdAt' | 'expiresAt'> & { expiresAt?: number };

/**
 * One file's resume record: in storage (when resume is on) and in memory, so a manual retry
 * continues the same server upload even without storage. Storage failures only cost the
 * ability to resume; they never fail an upload.
 */
export class ResumeSlot {
  readonly #storage: UrlStorage | null;
  readonly #key: string;
  readonly #clock: Clock;
  readonly #ttl: number;
  #savedUrl: string | null = null;
  /** The URL storage holds under our key, as far as this slot has seen (loaded or saved); null: none. */
  #storedUrl: string | null = null;
  #last: ResumeRecord | undefined;

  constructor(storage: UrlStorage | null, key: string, clock: Clock, ttl: number) {
    this.#storage = storage;
    this.#key = key;
    this.#clock = clock;
    this.#ttl = ttl;
  }

  /** The record to resume from, if any and not expired (an expired one is removed). */
  async load(): Promise<ResumeRecord | undefined> {
    let record = this.#last;
    try {
      const stored = await this.#storage?.get(this.#key);
      if (stored) this.#storedUrl = stored.url;
      record = stored ?? record;
    } catch {
      // Unreadable storage: fall back to what this page remembers.
    }
    if (!record || record.expiresAt > this.#clock.now()) return record;
    await this.forget();
  }

  /** Persist the session's record when its URL is new (a server that lost an upload makes a new one). */
  async save(found: FoundRecord): Promise<void> {
    const url = stripCredentials(found.url);
    if (url === this.#savedUrl) return;
    this.#savedUrl = url;
    const now = this.#clock.now();
    this.#last = { url, ...(found.state && { state: found.state }), createdAt: now, expiresAt: found.expiresAt ?? now + this.#ttl };
    try {
      this.#storedUrl = url;
      await this.#storage?.set(this.#key, this.#last);
    } catch {
      // A full or refused storage only costs the resume after a reload.
    }
  }

  /**
   * Drop the record this slot saved or loaded. A slot that saw none touches no storage: localStorage
   * is synchronous, and a small file that finished in its first request never wrote one.
   */
  async forget(): Promise<void> {
    const mine = this.#storedUrl;
    this.#last = undefined;
    this.#savedUrl = this.#storedUrl = null;
    if (mine === null || !this.#storage) return;
    try {
      // A duplicate of this file may have stored its own record under the same key since.
      const stored = await this.#storage.get(this.#key);
      if (stored?.url === mine) await this.#storage.remove(this.#key);
    } catch {
      // The record expires on its own.
    }
  }
}
