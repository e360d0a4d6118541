/**
 * What the source gate needs from git. src/source is pure: the only implementation that runs
 * git lives in src/app/adapters/git.ts and is injected by the composition root.
 */

/** Signature kind from the commit's own `gpgsig` header (independent of whether git could verify it). */
export type SignatureKind = 'ssh' | 'openpgp' | 'x509' | 'none';

export interface CommitSignatureRecord {
  readonly sha: string;
  readonly kind: SignatureKind;
  /** git's %G?: G good, B bad, U good/unknown validity, X expired sig, Y expired key, R revoked key, E cannot check, N none. */
  readonly status: string;
  /** %GK: key id (OpenPGP) or SHA256 fingerprint (SSH). */
  readonly key: string;
  /** %GS: signer name (OpenPGP UID) or the allowed-signers principal (SSH). */
  readonly signer: string;
  /** %GF: fingerprint of the signing key. */
  readonly fingerprint: string;
  /** %GP: primary key fingerprint (OpenPGP subkey signatures). */
  readonly primaryFingerprint: string;
  readonly authorEmail: string;
  readonly subject: string;
}

export interface SignatureTrust {
  /** Contents of an allowed-signers file (gpg.ssh.allowedSignersFile) for SSH signatures. */
  readonly allowedSigners?: string;
  /** An OpenPGP keyring (armored or binary) imported into a throw-away GNUPGHOME. */
  readonly keyring?: Uint8Array;
}

export interface GitPort {
  /** Tracked files (git ls-files), repo-relative with '/' separators. */
  listFiles(repo: string): Promise<readonly string[]>;
  /** A tracked file's text from the working tree; undefined when absent. */
  readFile(repo: string, path: string): Promise<string | undefined>;
  /** Commits in a range (git rev-list A..B), newest first. */
  revList(repo: string, range: string): Promise<readonly string[]>;
  /** Verifies the commits' signatures with git itself under the given trust. */
  commitSignatures(repo: string, shas: readonly string[], trust: SignatureTrust): Promise<readonly CommitSignatureRecord[]>;
}
