/** A JSON object (not null, not an array): what JSON.parse / a YAML or TOML parser gives for a mapping. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * JSON.stringify with every character outside ASCII written as a \u escape: the same JSON value, in a
 * file that reads back into a one-byte string (V8 decodes and parses those faster than two-byte ones,
 * which one non-ASCII character anywhere would make of the whole text).
 */
export function asciiJson(value: unknown): string {
  // eslint-disable-next-line no-control-regex
  return JSON.stringify(value).replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
