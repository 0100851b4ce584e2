import type { IncomingMessage } from 'node:http';
import { ApiError } from './apiError';

/**
 * Reads and parses a JSON body with a hard size limit. Done by hand rather than with
 * restify's bodyParser so every failure gets the documented error body, and an
 * oversized request is cut off without buffering it.
 */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const text = await readRawBody(req, limit);
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw ApiError.badRequest(
      `request body is not valid JSON: ${(err as Error).message}`,
      undefined,
      'malformed_json',
    );
  }
}

/** The body as sent, byte for byte (a signature is computed over exactly this), within `limit`. */
export async function readRawBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    throw ApiError.tooLarge(limit);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      req.resume();
      throw ApiError.tooLarge(limit);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
