import { isUtf8 } from 'node:buffer';
import { AppError, type ErrorCode } from '../core/errors.ts';

export interface JsonLimits {
  /** Largest accepted document, in bytes (LIMIT_MANIFEST_SIZE beyond). */
  readonly maxBytes: number;
  /** Deepest accepted nesting of arrays and objects (LIMIT_JSON_DEPTH beyond). */
  readonly maxDepth: number;
}

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * The deepest nesting of arrays/objects in a JSON text, found by one linear pass over the bytes
 * that skips string contents (escapes included). Stops early once `stopAbove` is exceeded.
 */
export function jsonNestingDepth(bytes: Uint8Array, stopAbove = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
      continue;
    }
    if (c === QUOTE) inString = true;
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > stopAbove) return deepest;
      }
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--;
  }
  return deepest;
}

/** The number of `{` and `[` bytes in `bytes` (inside strings too), counting no further than `stopAbove` + 1. */
function openingBrackets(bytes: Uint8Array, stopAbove: number): number {
  let count = 0;
  for (const bracket of [OPEN_BRACE, OPEN_BRACKET]) {
    for (let at = bytes.indexOf(bracket); at !== -1 && count <= stopAbove; at = bytes.indexOf(bracket, at + 1)) count++;
  }
  return count;
}

/**
 * Parses untrusted JSON: refuses documents over `maxBytes` (LIMIT_MANIFEST_SIZE) and nesting over
 * `maxDepth` (LIMIT_JSON_DEPTH) before JSON.parse sees them, and reports invalid JSON with `code`.
 */
export function parseJsonLimited(bytes: Uint8Array, limits: JsonLimits, code: ErrorCode): unknown {
  if (bytes.length > limits.maxBytes) {
    throw new AppError('LIMIT_MANIFEST_SIZE', 'document is larger than the configured limit', {
      details: { size: bytes.length, limit: limits.maxBytes },
    });
  }
  // no deeper than its number of opening brackets: most documents have fewer than the limit, and
  // counting them (native searches) is cheaper than the byte-by-byte scan
  const depth = openingBrackets(bytes, limits.maxDepth) <= limits.maxDepth ? 0 : jsonNestingDepth(bytes, limits.maxDepth);
  if (depth > limits.maxDepth) {
    throw new AppError('LIMIT_JSON_DEPTH', 'document nests deeper than the configured limit', {
      details: { limit: limits.maxDepth },
    });
  }
  // as TextDecoder('utf-8', { fatal: true }) decodes (a leading byte order mark dropped), without its
  // set-up cost (~1 ms on first use)
  if (!isUtf8(bytes)) throw new AppError(code, 'document is not valid UTF-8');
  const decoded = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  const text = decoded.charCodeAt(0) === 0xfeff ? decoded.slice(1) : decoded;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new AppError(code, 'document is not valid JSON', { cause: error });
  }
}
