import type { HeaderRecord, HttpRequest, HttpResponse, HttpStack } from '../../core/ports.js';
import { UploadError, isUploadError, stripCredentials } from '../../core/UploadError.js';

/**
 * Sends through any HttpStack and turns "no response" into an UploadError, so a user's own
 * stack (e.g. one built on fetch, which rejects with TypeError or AbortError) reports failures
 * the same way as XhrHttpStack does.
 */
export async function sendRequest(http: HttpStack, request: HttpRequest): Promise<HttpResponse> {
  const described = { method: request.method, url: stripCredentials(request.url) };
  if (request.signal?.aborted) {
    throw new UploadError('aborted', 'Request aborted', { request: described, cause: request.signal.reason });
  }
  try {
    return await http.send(request);
  } catch (error) {
    if (isUploadError(error)) throw error;
    if (request.signal?.aborted) {
      throw new UploadError('aborted', 'Request aborted', { request: described, cause: error });
    }
    throw new UploadError('network', 'Network error: no response', { request: described, cause: error });
  }
}

/**
 * User headers first, then the protocol's own, which win whatever the letter case: sending both
 * `content-type` and `Content-Type` would make XHR join them into one invalid value.
 */
export function mergeHeaders(user: HeaderRecord, own: HeaderRecord): HeaderRecord {
  const ownNames = new Set(Object.keys(own).map((name) => name.toLowerCase()));
  const merged: HeaderRecord = {};
  for (const [name, value] of Object.entries(user)) {
    if (!ownNames.has(name.toLowerCase())) merged[name] = value;
  }
  return Object.assign(merged, own);
}
