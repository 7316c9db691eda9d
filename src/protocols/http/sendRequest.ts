import type { HeaderRecord, HttpRequest, HttpResponse, HttpStack } from '../../core/ports.js';
import { UploadError, isUploadError } from '../../core/UploadError.js';
import { stripCredentials } from '../../core/urls.js';

/**
 * Sends through any HttpStack and turns "no response" into an UploadError, so a user's own
 * stack (e.g. one built on fetch, which rejects with TypeError or AbortError) reports failures
 * the same way as XhrHttpStack does.
 */
export async function sendRequest(http: HttpStack, request: HttpRequest): Promise<HttpResponse> {
  try {
    if (request.signal?.aborted) throw noResponse(request, request.signal.reason);
    return await http.send(request);
  } catch (error) {
    throw isUploadError(error) ? error : noResponse(request, error);
  }
}

/** No response arrived: 'aborted' when the request's signal says so, else a network failure. */
export function noResponse(request: Pick<HttpRequest, 'method' | 'url' | 'signal'>, cause: unknown): UploadError {
  const aborted = request.signal?.aborted;
  return new UploadError(aborted ? 'aborted' : 'network', aborted ? 'Request aborted' : 'Network error: no response', {
    request: { method: request.method, url: stripCredentials(request.url) },
    cause,
  });
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
