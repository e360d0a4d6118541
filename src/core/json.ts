/** A JSON object (not null, not an array): what JSON.parse / a YAML or TOML parser gives for a mapping. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
