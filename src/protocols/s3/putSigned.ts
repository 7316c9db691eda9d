import type { HttpRequest, HttpStack, PartRequest } from '../../core/ports.js';
import { isUploadError, UploadError } from '../../core/UploadError.js';
import { withoutQuery } from '../../core/urls.js';
import { sendRequest } from '../http/sendRequest.js';
import type { S3SignedPart } from './s3Types.js';

/**
 * PUT a part's bytes to a presigned URL and return the ETag S3 gave them. `what` names the request in
 * errors ("part 3", "object"). Errors never carry the presigned query: it is a credential for a while.
 */
export async function putSigned(http: HttpStack, signed: S3SignedPart, part: PartRequest, what: string): Promise<string> {
  // Only the signed headers go to S3: the uploader's headers (the app's own Authorization) are
  // for the app's backend, and a second Authorization would make S3 refuse the request.
  const request: HttpRequest = {
    method: 'PUT',
    url: signed.url,
    headers: { ...signed.headers },
    body: part.body,
    signal: part.signal,
    onUploadProgress: (loaded) => part.onUploadProgress(loaded),
  };
  const response = await sendRequest(http, request).catch((error: unknown) => {
    throw withoutSignature(error, request);
  });
  const shown = { method: 'PUT', url: withoutQuery(signed.url) };
  if (response.status < 200 || response.status > 299) {
    throw UploadError.fromResponse('http-status', `S3: ${what} failed: ${response.status}${s3Refusal(response.body)}`, shown, response);
  }
  const etag = response.header('ETag');
  if (!etag) {
    const message = `S3: ${what} was stored but its ETag header cannot be read: the bucket's CORS configuration must expose it (ExposeHeaders: ETag)`;
    throw UploadError.fromResponse('protocol', message, shown, response);
  }
  return etag;
}

/** S3's reason from its XML error body, e.g. " SignatureDoesNotMatch: The request signature ...". */
function s3Refusal(body: string): string {
  const code = /<Code>([^<]{1,64})<\/Code>/.exec(body)?.[1];
  const message = /<Message>([^<]{1,200})<\/Message>/.exec(body)?.[1];
  return code ? ` ${code}${message ? `: ${message}` : ''}` : '';
}

/** The same failure, named without the presigned query. */
function withoutSignature(error: unknown, request: HttpRequest): UploadError {
  if (!isUploadError(error)) return new UploadError('network', 'Network error: no response', { cause: error });
  const message = error.code === 'aborted' ? 'Request aborted' : 'Network error: no response';
  return new UploadError(error.code, message, { request: { method: request.method, url: withoutQuery(request.url) }, cause: error.cause });
}
