import type { Clock, ResumeRecord, UrlStorage } from './ports.js';
import { stripCredentials } from './UploadError.js';

type FoundRecord = Omit<ResumeRecord, 'createdAt' | 'expiresAt'> & { expiresAt?: number };

/**
 * One file's resume record: in storage (when resume is on) and in memory, so a manual retry
 * continues the same server upload even without storage. Storage failures only cost the
 * ability to resume; they never fail an upload.
 */
export class ResumeSlot {
  private savedUrl: string | null = null;
  private last: ResumeRecord | undefined;

  constructor(
    private readonly storage: UrlStorage | null,
    private readonly key: string,
    private readonly clock: Clock,
    private readonly ttl: number,
  ) {}

  /** The record to resume from, if any and not expired (an expired one is removed). */
  async load(): Promise<ResumeRecord | undefined> {
    let record = this.last;
    try {
      record = (this.storage ? await this.storage.get(this.key) : undefined) ?? record;
    } catch {
      // Unreadable storage: fall back to what this page remembers.
    }
    if (record && record.expiresAt <= this.clock.now()) {
      await this.forget();
      return undefined;
    }
    return record;
  }

  /** Persist the session's record when its URL is new (a server that lost an upload makes a new one). */
  async save(found: FoundRecord): Promise<void> {
    const url = stripCredentials(found.url);
    if (url === this.savedUrl) return;
    this.savedUrl = url;
    const now = this.clock.now();
    const record: ResumeRecord = {
      url,
      ...(found.state ? { state: found.state } : {}),
      createdAt: now,
      expiresAt: found.expiresAt ?? now + this.ttl,
    };
    this.last = record;
    try {
      await this.storage?.set(this.key, record);
    } catch {
      // A full or refused storage only costs the resume after a reload.
    }
  }

  async forget(): Promise<void> {
    const mine = this.savedUrl;
    this.last = undefined;
    this.savedUrl = null;
    try {
      // A duplicate of this file may have stored its own record under the same key since.
      const stored = mine === null ? undefined : await this.storage?.get(this.key);
      if (stored && stored.url !== mine) return;
      await this.storage?.remove(this.key);
    } catch {
      // The record expires on its own.
    }
  }
}
