import type { Clock, ResumeRecord, UrlStorage } from './ports.js';
import { stripCredentials } from './urls.js';

type FoundRecord = Omit<ResumeRecord, 'createdAt' | 'expiresAt'> & { expiresAt?: number };

/**
 * One file's resume record: in storage (when resume is on) and in memory, so a manual retry
 * continues the same server upload even without storage. Storage failures only cost the
 * ability to resume; they never fail an upload.
 */
export interface ResumeSlot {
  /** The record to resume from, if any and not expired (an expired one is removed). */
  load(): Promise<ResumeRecord | undefined>;
  /** Persist the session's record when its URL is new (a server that lost an upload makes a new one). */
  save(found: FoundRecord): Promise<void>;
  /**
   * Drop the record this slot saved or loaded. A slot that saw none touches no storage: localStorage
   * is synchronous, and a small file that finished in its first request never wrote one.
   */
  forget(): Promise<void>;
}

export function createResumeSlot(storage: UrlStorage | null, key: string, clock: Clock, ttl: number): ResumeSlot {
  let savedUrl: string | null = null;
  /** The URL storage holds under our key, as far as this slot has seen (loaded or saved); null: none. */
  let storedUrl: string | null = null;
  let last: ResumeRecord | undefined;
  const slot: ResumeSlot = {
    async load() {
      let record = last;
      try {
        const stored = await storage?.get(key);
        if (stored) storedUrl = stored.url;
        record = stored ?? record;
      } catch {
        // Unreadable storage: fall back to what this page remembers.
      }
      if (!record || record.expiresAt > clock.now()) return record;
      await slot.forget();
    },
    async save(found) {
      const url = stripCredentials(found.url);
      if (url === savedUrl) return;
      savedUrl = url;
      const now = clock.now();
      last = { url, ...(found.state && { state: found.state }), createdAt: now, expiresAt: found.expiresAt ?? now + ttl };
      try {
        storedUrl = url;
        await storage?.set(key, last);
      } catch {
        // A full or refused storage only costs the resume after a reload.
      }
    },
    async forget() {
      const mine = storedUrl;
      last = undefined;
      savedUrl = storedUrl = null;
      if (mine === null || !storage) return;
      try {
        // A duplicate of this file may have stored its own record under the same key since.
        const stored = await storage.get(key);
        if (stored?.url === mine) await storage.remove(key);
      } catch {
        // The record expires on its own.
      }
    },
  };
  return slot;
}
