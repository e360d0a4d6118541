/** For operations whose failure is expected and per-item (parsing one version string, one file). */
export type Result<T, E> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: E };

export function ok<T>(value: T): Result<T, never> {
  return { ok: true, value };
}

export function err<E>(error: E): Result<never, E> {
  return { ok: false, error };
}

/** Three-valued on purpose: an answer that could not be decided must never read as "no". */
export type Tri = 'yes' | 'no' | 'unknown';

/** Something a plugin could not read, recorded instead of silently skipped. */
export interface Unknown {
  readonly source: string; // plugin id, e.g. 'dpkg-status'
  readonly path?: string;
  readonly layer?: string;
  readonly reason: string;
}
