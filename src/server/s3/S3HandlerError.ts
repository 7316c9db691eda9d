/**
 * An answer other than success, as the page sees it: `{ error, code }` with this HTTP status. Throw
 * one from `authorize` or `mayAccess` to refuse with your own status and message.
 */
export class S3HandlerError extends Error {
  override name = 'S3HandlerError';
  constructor(
    readonly status: number,
    /** S3's error code when S3 refused (NoSuchUpload, EntityTooSmall ...), else the handler's own. */
    readonly code: string,
    message: string,
    /** S3's own HTTP status, when the error came from S3. */
    readonly s3Status?: number,
  ) {
    super(message);
  }

  toJSON(): { error: string; code: string; s3Status?: number } {
    return { error: this.message, code: this.code, ...(this.s3Status === undefined ? {} : { s3Status: this.s3Status }) };
  }
}

/** S3 errors that the page's own input caused: the page can do something about them. */
const CLIENT_CAUSED = new Set([
  'InvalidPart', 'InvalidPartOrder', 'EntityTooSmall', 'EntityTooLarge', 'InvalidArgument', 'InvalidRequest',
  'BadDigest', 'InvalidDigest', 'KeyTooLongError', 'MalformedXML', 'InvalidChecksum',
]);

/**
 * An error from the AWS SDK as an answer for the page: NoSuchUpload is 404 (the page starts afresh);
 * S3 refusing the page's input is 400; anything else (credentials, bucket, network, S3 down) is the
 * backend's problem, 502. The message names the operation and S3's code, never a credential.
 */
export function fromS3Error(operation: string, error: unknown): S3HandlerError {
  if (error instanceof S3HandlerError) return error;
  const code = typeof (error as { name?: unknown })?.name === 'string' ? (error as { name: string }).name : 'Error';
  const s3Status = (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
  const detail = error instanceof Error && error.message ? error.message : 'no detail';
  const message = `S3 ${operation} failed: ${code}${s3Status ? ` (${s3Status})` : ''}: ${detail}`;
  if (code === 'NoSuchUpload') return new S3HandlerError(404, code, message, s3Status);
  if (CLIENT_CAUSED.has(code)) return new S3HandlerError(400, code, message, s3Status);
  return new S3HandlerError(502, s3Status === undefined ? 'S3Unreachable' : code, message, s3Status);
}
