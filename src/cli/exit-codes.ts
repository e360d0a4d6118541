import type { ErrorKind } from '../core/errors.ts';

/**
 * Exit codes are public API (docs/cli.md#exit-codes). Transports map error kinds, never codes.
 *   0  success; the gate passed
 *   1  the gate said no: findings at or above --fail-on, policy denied, verification failed
 *   2  usage error or invalid input (bad flags, bad reference, malformed or hostile file)
 *   3  not found (image, manifest, blob, file)
 *   4  upstream failure (registry, network, feed); retrying may help
 *   5  a signature, digest or attestation did not verify
 *   6  a safety limit was exceeded (decompression bomb, too many entries, too deep)
 *   7  a required local peer or resource is unavailable (podman, skopeo, database)
 *   9  conflict (evidence or state already exists)
 *  70  internal error (a bug; please report it)
 */
export const EXIT = {
  ok: 0,
  gateFailed: 1,
  usage: 2,
} as const;

const BY_KIND: Record<ErrorKind, number> = {
  'invalid-input': 2,
  'not-found': 3,
  upstream: 4,
  verification: 5,
  limit: 6,
  unavailable: 7,
  conflict: 9,
  internal: 70,
};

export function exitCodeFor(kind: ErrorKind): number {
  return BY_KIND[kind];
}
