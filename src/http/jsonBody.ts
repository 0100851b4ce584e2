import type { IncomingMessage } from 'node:http';
import { ApiError } from './apiError';

/**
 * Nesting no real request comes near (an Adaptive Card inside an activity is about 15 deep);
 * deeper JSON is refused before it is parsed, so no later recursion over it can overflow.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * Reads and parses a JSON body with a hard size limit. Done by hand rather than with
 * restify's bodyParser so every failure gets the documented error body, and an
 * oversized request is cut off without buffering it.
 */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  return parseJson(await readJsonText(req, limit));
}

/**
 * The body's text, refused with 415 unless it is declared JSON. A web page may POST
 * text/plain anywhere without asking first; application/json makes the browser ask (CORS),
 * and nothing here answers yes. An empty body needs no type (Web Chat sends none).
 */
export async function readJsonText(req: IncomingMessage, limit: number): Promise<string> {
  const type = req.headers['content-type'];
  const text = await readRawBody(req, limit);
  if (text.trim() !== '' && !isJsonType(type)) throw ApiError.unsupportedMediaType(type);
  return text;
}

/** JSON text to a value: empty is undefined; malformed or too deeply nested is a 400. */
export function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  if (depthOf(text) > MAX_JSON_DEPTH) {
    throw ApiError.badRequest(
      `request body is nested deeper than ${MAX_JSON_DEPTH} levels`,
      undefined,
      'json_too_deep',
    );
  }
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

function isJsonType(type: string | undefined): boolean {
  const media = type?.split(';')[0].trim().toLowerCase() ?? '';
  return media === 'application/json' || /^application\/[\w.+-]+\+json$/.test(media);
}

/** The deepest nesting of objects and arrays, brackets inside strings not counted; stops early. */
function depthOf(text: string): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > MAX_JSON_DEPTH) return depth;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return depth;
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
