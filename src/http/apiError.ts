/** The documented error body: `{ "error": { "code", "message", "details"? } }`. */
export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** An error that maps to one HTTP status and a stable machine-readable code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }

  toBody(): ErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details === undefined ? {} : { details: this.details }),
      },
    };
  }

  static badRequest(message: string, details?: unknown, code = 'invalid_input') {
    return new ApiError(400, code, message, details);
  }
  static unauthorized(message: string) {
    return new ApiError(401, 'unauthorized', message);
  }
  static forbidden(message: string) {
    return new ApiError(403, 'forbidden', message);
  }
  static notFound(message: string) {
    return new ApiError(404, 'not_found', message);
  }
  static conflict(message: string, details?: unknown, code = 'version_conflict') {
    return new ApiError(409, code, message, details);
  }
  static tooLarge(limit: number) {
    return new ApiError(413, 'payload_too_large', `request body is larger than ${limit} bytes`);
  }
  static unsupportedMediaType(given: string | undefined) {
    return new ApiError(
      415,
      'unsupported_media_type',
      `send the body as application/json${given ? ` (not ${given.split(';')[0]})` : ''}`,
    );
  }
  static invalidState(message: string, details?: unknown, code = 'invalid_state') {
    return new ApiError(422, code, message, details);
  }
}
