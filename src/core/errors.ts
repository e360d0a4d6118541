/**
 * What kind of failure an error is. Transports map kinds, never individual codes:
 * http/errors.ts turns a kind into a status, cli/exit-codes.ts into an exit code.
 */
export type ErrorKind =
  | 'invalid-input' // the caller sent something wrong; retrying won't help
  | 'not-found'
  | 'conflict'
  | 'upstream' // a registry, TUF mirror or advisory feed failed; may be retried
  | 'verification' // a signature, digest or attestation did not check out
  | 'limit' // input exceeded a configured safety limit (size, depth, count)
  | 'unavailable' // a required local peer (podman, skopeo…) or resource is missing
  | 'internal'; // a bug: log it in full, show little

/**
 * Every code the product can raise. A code is public API: it appears in CLI output,
 * problem+json bodies and stored evidence. Never rename or reuse one; add a new one.
 * Each code has an anchor in docs/errors.md (checked by errors.test.ts).
 */
export const ERROR_KINDS = {
  // general
  USAGE: 'invalid-input',
  CONFIG_INVALID: 'invalid-input',
  INPUT_INVALID: 'invalid-input',
  IO_FAILED: 'upstream',
  PEER_MISSING: 'unavailable',
  INTERNAL: 'internal',
  // references and sources
  IMAGE_REF_INVALID: 'invalid-input',
  SOURCE_INVALID: 'invalid-input',
  SOURCE_NOT_FOUND: 'not-found',
  PLATFORM_NOT_FOUND: 'not-found',
  // OCI manifests and blobs
  OCI_MANIFEST_INVALID: 'invalid-input',
  OCI_MANIFEST_UNSUPPORTED: 'invalid-input',
  OCI_MANIFEST_UNKNOWN: 'not-found',
  OCI_BLOB_UNKNOWN: 'not-found',
  OCI_CONFIG_INVALID: 'invalid-input',
  OCI_LAYOUT_INVALID: 'invalid-input',
  OCI_UPSTREAM_FAILED: 'upstream',
  OCI_AUTH_FAILED: 'upstream',
  OCI_DENIED: 'upstream',
  DIGEST_INVALID: 'invalid-input',
  DIGEST_MISMATCH: 'verification',
  SIZE_MISMATCH: 'verification',
  // layers and archives (hostile input)
  ARCHIVE_INVALID: 'invalid-input',
  ARCHIVE_TRUNCATED: 'invalid-input',
  ARCHIVE_PATH_TRAVERSAL: 'invalid-input',
  ARCHIVE_ABSOLUTE_PATH: 'invalid-input',
  ARCHIVE_SYMLINK_ESCAPE: 'invalid-input',
  ARCHIVE_HARDLINK_INVALID: 'invalid-input',
  ARCHIVE_DEVICE_FILE: 'invalid-input',
  ARCHIVE_COMPRESSION_UNSUPPORTED: 'invalid-input',
  LIMIT_DECOMPRESSED_SIZE: 'limit',
  LIMIT_COMPRESSION_RATIO: 'limit',
  LIMIT_ENTRY_COUNT: 'limit',
  LIMIT_PATH_LENGTH: 'limit',
  LIMIT_PATH_DEPTH: 'limit',
  LIMIT_MANIFEST_SIZE: 'limit',
  LIMIT_JSON_DEPTH: 'limit',
  LIMIT_LAYER_COUNT: 'limit',
  LIMIT_FILE_SIZE: 'limit',
  // store
  STORE_FAILED: 'internal',
  EVIDENCE_CONFLICT: 'conflict',
  // catalog / sbom
  SBOM_INVALID: 'invalid-input',
  SBOM_FORMAT_UNSUPPORTED: 'invalid-input',
  // versions / vuln
  VERSION_INVALID: 'invalid-input',
  ECOSYSTEM_UNKNOWN: 'invalid-input',
  VULN_DB_MISSING: 'not-found',
  VULN_DB_INVALID: 'invalid-input',
  VULN_FEED_FAILED: 'upstream',
  VEX_INVALID: 'invalid-input',
  // trust
  SIGNATURE_INVALID: 'verification',
  SIGNATURE_MISSING: 'verification',
  IDENTITY_MISMATCH: 'verification',
  CERTIFICATE_INVALID: 'verification',
  TLOG_INVALID: 'verification',
  PROVENANCE_INVALID: 'verification',
  KEY_INVALID: 'invalid-input',
  KEY_PASSWORD_WRONG: 'invalid-input',
  BUNDLE_INVALID: 'invalid-input',
  TOKEN_INVALID: 'invalid-input',
  TOKEN_EXPIRED: 'invalid-input',
  TRUST_ROOT_UNAVAILABLE: 'upstream',
  // source gate
  DOCKERFILE_INVALID: 'invalid-input',
  WORKFLOW_INVALID: 'invalid-input',
  CODEOWNERS_INVALID: 'invalid-input',
  GIT_FAILED: 'upstream',
  ROSTER_INVALID: 'invalid-input',
  // policy
  POLICY_INVALID: 'invalid-input',
} as const satisfies Record<string, ErrorKind>;

export type ErrorCode = keyof typeof ERROR_KINDS;

export type ErrorDetails = Readonly<Record<string, string | number | boolean>>;

export interface AppErrorOptions {
  readonly cause?: unknown;
  /** Machine-readable context. Must be safe to show to a user: no tokens, no file contents. */
  readonly details?: ErrorDetails;
}

export class AppError extends Error {
  override readonly name = 'AppError';
  readonly code: ErrorCode;
  readonly kind: ErrorKind;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    this.kind = ERROR_KINDS[code];
    this.details = Object.freeze({ ...options.details });
  }
}

export function isAppError(value: unknown, code?: ErrorCode): value is AppError {
  return value instanceof AppError && (code === undefined || value.code === code);
}

/** For `catch (error)` blocks at a boundary: anything that is not an AppError is a bug. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) {
    return error;
  }
  return new AppError('INTERNAL', 'unexpected error', { cause: error });
}

export function errorCodes(): readonly ErrorCode[] {
  return Object.keys(ERROR_KINDS) as ErrorCode[];
}
