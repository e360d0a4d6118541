import { createHash } from 'node:crypto';
import { bundleFromJSON, type Bundle } from '@sigstore/bundle';
import { X509Certificate } from '@sigstore/core';
import { PolicyError, toSignedEntity, VerificationError, Verifier, type SignedEntity, type TrustMaterial } from '@sigstore/verify';
import { verifyDigestSignature } from '../prehashed.ts';
import type { KeyObject } from 'node:crypto';
import { AppError, type ErrorCode } from '../../core/errors.ts';
import { parseStatement } from '../in-toto.ts';
import { pae } from '../dsse.ts';
import type { TrustRoot } from './trusted-root.ts';
import { fastEncoding } from './fast-der.ts';

/** Fulcio certificate extensions (https://github.com/sigstore/fulcio/blob/main/docs/oid-info.md). */
export const FULCIO_OIDS = Object.freeze({
  issuerV1: '1.3.6.1.4.1.57264.1.1',
  githubWorkflowTrigger: '1.3.6.1.4.1.57264.1.2',
  githubWorkflowSha: '1.3.6.1.4.1.57264.1.3',
  githubWorkflowName: '1.3.6.1.4.1.57264.1.4',
  githubWorkflowRepository: '1.3.6.1.4.1.57264.1.5',
  githubWorkflowRef: '1.3.6.1.4.1.57264.1.6',
  issuer: '1.3.6.1.4.1.57264.1.8',
  buildSignerUri: '1.3.6.1.4.1.57264.1.9',
  buildSignerDigest: '1.3.6.1.4.1.57264.1.10',
  runnerEnvironment: '1.3.6.1.4.1.57264.1.11',
  sourceRepositoryUri: '1.3.6.1.4.1.57264.1.12',
  sourceRepositoryDigest: '1.3.6.1.4.1.57264.1.13',
  sourceRepositoryRef: '1.3.6.1.4.1.57264.1.14',
  buildConfigUri: '1.3.6.1.4.1.57264.1.18',
  buildTrigger: '1.3.6.1.4.1.57264.1.20',
  runInvocationUri: '1.3.6.1.4.1.57264.1.21',
} as const);

export type CertificateExtensionName = Exclude<keyof typeof FULCIO_OIDS, 'issuerV1'>;

/** Who signed: a Fulcio certificate identity, or a public key the caller trusted. */
export type SignerFacts =
  | {
      readonly kind: 'certificate';
      readonly subjectAlternativeName: string | null;
      /** OIDC issuer: extension 1.8 (DER) or, from older certificates, 1.1 (raw). */
      readonly issuer: string | null;
      readonly extensions: Readonly<Partial<Record<CertificateExtensionName, string>>>;
      readonly notBefore: string;
      readonly notAfter: string;
    }
  | { readonly kind: 'public-key'; readonly hint: string };

export interface TlogFacts {
  readonly logIndex: string;
  readonly logId: string;
  readonly kind: string;
  readonly kindVersion: string;
  readonly integratedTime: string | null;
  readonly inclusionProof: boolean;
  readonly inclusionPromise: boolean;
}

/** Everything verification established. A policy (identity-policy.ts) decides on these, never the verifier. */
export interface BundleFacts {
  readonly mediaType: string;
  readonly content: 'message-signature' | 'dsse';
  readonly signer: SignerFacts;
  /** Verified times (tlog integrated time, RFC 3161 timestamps), ISO strings, sorted. */
  readonly verifiedTimes: readonly { readonly source: 'tlog' | 'tsa'; readonly time: string }[];
  readonly tlog: readonly TlogFacts[];
  /** What was signed: for a message signature the artifact digest; for DSSE the statement subjects. */
  readonly subjectDigests: readonly string[];
  readonly predicateType: string | null;
  readonly payloadType: string | null;
  /** The DSSE payload (an in-toto statement), when there is one, for predicate checks. */
  readonly payload?: Buffer;
}

export interface VerifyBundleInput {
  /** The artifact itself (needed for message signatures). */
  readonly artifact?: Buffer;
  /** `sha256:hex` (or sha512) of the artifact: for DSSE bundles, matched against the statement subjects. */
  readonly digest?: string;
  /** For key-based bundles: the key the caller trusts. */
  readonly publicKey?: KeyObject;
  /** Minimum tlog entries (default 1 keyless, 0 with publicKey). */
  readonly tlogThreshold?: number;
  readonly ctlogThreshold?: number;
  readonly timestampThreshold?: number;
}

const MAX_BUNDLE_BYTES = 16 * 1024 * 1024;

/** Parses untrusted bundle JSON (v0.1–v0.3) or throws BUNDLE_INVALID. */
export function parseBundle(bytes: Buffer | string): Bundle {
  if (bytes.length > MAX_BUNDLE_BYTES) {
    throw new AppError('LIMIT_FILE_SIZE', 'the bundle is too large', { details: { bytes: bytes.length } });
  }
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString());
  } catch (cause) {
    throw new AppError('BUNDLE_INVALID', 'the bundle is not JSON', { cause });
  }
  return bundleOf(json);
}

/** A bundle from parsed JSON (one Tollgate rebuilt, or one already read), or BUNDLE_INVALID. */
export function bundleOf(json: unknown): Bundle {
  try {
    return bundleFromJSON(json);
  } catch (cause) {
    throw new AppError('BUNDLE_INVALID', 'not a valid Sigstore bundle', { cause, details: { reason: cause instanceof Error ? cause.message.slice(0, 200) : '' } });
  }
}

/** A verifier built once per trust root and thresholds; verify many bundles with it (warm path). */
export function makeBundleVerifier(root: TrustRoot, options: Omit<VerifyBundleInput, 'artifact' | 'digest'> = {}): (bundle: Bundle, input?: VerifyBundleInput) => BundleFacts {
  const material: TrustMaterial = options.publicKey !== undefined ? root.withKey(options.publicKey) : root.material;
  const keyBased = options.publicKey !== undefined;
  const thresholds = {
    // keyless: one tlog entry and one verified time, always. Key-based (the caller trusts the key):
    // entries that are present are still verified, but none are required (docs/decisions/trust-signatures.md).
    tlogThreshold: options.tlogThreshold ?? (keyBased ? 0 : 1),
    ctlogThreshold: options.ctlogThreshold ?? (keyBased ? 0 : 1),
    timestampThreshold: options.timestampThreshold ?? (keyBased ? 0 : 1),
  };
  const verifier = new Verifier(material, thresholds);
  // verifies the whole bundle against ONE signed timestamp (threshold fallback, see verifyWithTimestampThreshold)
  const probe = new Verifier(material, { ...thresholds, timestampThreshold: 1 });
  return (bundle, input = {}) => verifyParsed({ verifier, probe, tlogs: material.tlogs }, bundle, input);
}

export function verifyBundle(root: TrustRoot, bundle: Bundle, input: VerifyBundleInput = {}): BundleFacts {
  return makeBundleVerifier(root, input)(bundle, input);
}

interface Verifiers {
  readonly verifier: Verifier;
  readonly probe: Verifier;
  readonly tlogs: TrustMaterial['tlogs'];
}

/** sigstore-go and sigstore-python refuse more RFC 3161 timestamps than this (DoS limit). */
const MAX_SIGNED_TIMESTAMPS = 32;

function verifyParsed({ verifier, probe, tlogs }: Verifiers, bundle: Bundle, input: VerifyBundleInput): BundleFacts {
  const content = bundle.content.$case === 'dsseEnvelope' ? 'dsse' : 'message-signature';
  if (content === 'message-signature' && input.artifact === undefined && input.digest === undefined) {
    throw new AppError('USAGE', 'a message-signature bundle needs the artifact (--artifact) or its digest (--digest)');
  }
  if (content === 'dsse' && bundle.content.$case === 'dsseEnvelope' && bundle.content.dsseEnvelope.signatures.length !== 1) {
    // sigstore-go and cosign reject envelopes with more than one signature inside a bundle
    throw new AppError('SIGNATURE_INVALID', 'a bundle DSSE envelope must carry exactly one signature', {
      details: { signatures: bundle.content.dsseEnvelope.signatures.length },
    });
  }
  const signed = digestOnly(bundle, input) ?? rekorV2Dsse(bundle) ?? toSignedEntity(bundle, content === 'message-signature' ? input.artifact : undefined);
  if (signed.key.$case === 'certificate') fastEncoding(signed.key.certificate);
  const entity = verifyWithTimestampThreshold(verifier, probe, checkpointSignerNames(signed, tlogs));

  let subjectDigests: string[] = [];
  let predicateType: string | null = null;
  let payloadType: string | null = null;
  let payload: Buffer | undefined;
  if (bundle.content.$case === 'dsseEnvelope') {
    const envelope = bundle.content.dsseEnvelope;
    payloadType = envelope.payloadType;
    payload = Buffer.from(envelope.payload);
    if (payloadType === 'application/vnd.in-toto+json') {
      const statement = parseStatement(payload);
      predicateType = statement.predicateType;
      subjectDigests = statement.subject.flatMap((s) => Object.entries(s.digest).map(([alg, hex]) => `${alg}:${hex.toLowerCase()}`));
    }
  } else {
    const message = bundle.content.messageSignature;
    const alg = message.messageDigest !== undefined ? hashName(message.messageDigest.algorithm) : 'sha256';
    subjectDigests =
      input.artifact !== undefined
        ? [`${alg}:${createHash(alg).update(input.artifact).digest('hex')}`]
        : [`${alg}:${Buffer.from(message.messageDigest?.digest ?? Buffer.alloc(0)).toString('hex')}`];
  }
  if (content === 'dsse' && input.artifact !== undefined) {
    const artifact = input.artifact;
    const covered = subjectDigests.some((d) => {
      const [alg = '', hex = ''] = d.split(':');
      return (alg === 'sha256' || alg === 'sha384' || alg === 'sha512') && createHash(alg).update(artifact).digest('hex') === hex;
    });
    if (!covered) {
      throw new AppError('DIGEST_MISMATCH', 'the artifact is not a subject of the signed statement', { details: { subjects: subjectDigests.length } });
    }
  }
  if (input.digest !== undefined) {
    const wanted = input.digest.toLowerCase();
    if (!subjectDigests.includes(wanted)) {
      throw new AppError('DIGEST_MISMATCH', 'the signed subject does not carry the given digest', { details: { digest: input.digest } });
    }
  }

  const tlog = bundle.verificationMaterial.tlogEntries.map(
    (entry): TlogFacts => ({
      logIndex: entry.logIndex,
      logId: Buffer.from(entry.logId?.keyId ?? Buffer.alloc(0)).toString('base64'),
      kind: entry.kindVersion?.kind ?? '',
      kindVersion: entry.kindVersion?.version ?? '',
      integratedTime: entry.integratedTime !== '0' && entry.integratedTime !== '' ? new Date(Number(entry.integratedTime) * 1000).toISOString() : null,
      inclusionProof: entry.inclusionProof !== undefined,
      inclusionPromise: entry.inclusionPromise !== undefined,
    }),
  );
  const verifiedTimes = [
    ...tlog.filter((t) => t.integratedTime !== null).map((t) => ({ source: 'tlog' as const, time: t.integratedTime ?? '' })),
    ...entity.timestamps
      .filter((t) => t.$case === 'timestamp-authority')
      .map((t) => ({ source: 'tsa' as const, time: t.$case === 'timestamp-authority' ? t.timestamp.signingTime.toISOString() : '' })),
  ].sort((a, b) => a.time.localeCompare(b.time));

  return {
    mediaType: bundle.mediaType,
    content,
    signer: signerFacts(entity.key),
    verifiedTimes,
    tlog,
    subjectDigests: [...new Set(subjectDigests)].sort(),
    predicateType,
    payloadType,
    ...(payload !== undefined ? { payload } : {}),
  };
}

/**
 * A message signature checked against a digest only: the bundle's messageDigest must equal the
 * given digest, and the signature is verified prehashed over it.
 */
function digestOnly(bundle: Bundle, input: VerifyBundleInput): SignedEntity | null {
  if (bundle.content.$case !== 'messageSignature' || input.artifact !== undefined || input.digest === undefined) return null;
  const message = bundle.content.messageSignature;
  const alg = message.messageDigest !== undefined ? hashName(message.messageDigest.algorithm) : 'sha256';
  const [wantAlg, wantHex] = input.digest.toLowerCase().split(':');
  const bundleDigest = Buffer.from(message.messageDigest?.digest ?? Buffer.alloc(0));
  if (wantAlg !== alg || wantHex !== bundleDigest.toString('hex')) {
    throw new AppError('DIGEST_MISMATCH', 'the bundle signs a different digest', { details: { digest: input.digest, signed: `${alg}:${bundleDigest.toString('hex')}` } });
  }
  const entity = toSignedEntity(bundle, Buffer.alloc(0));
  const signature = Buffer.from(message.signature);
  return {
    ...entity,
    signature: {
      signature,
      compareSignature: (other) => other.equals(signature),
      compareDigest: (other) => other.equals(bundleDigest),
      verifySignature: (key) => verifyDigestSignature(key, alg, bundleDigest, signature),
    },
  };
}

const NOTE_SIGNATURE_LINE = /^\u2014 (\S+) (\S+)$/;

/**
 * A checkpoint (signed note) signature line is `— <name> <base64(keyHint ‖ signature)>`.
 * @sigstore/verify 3.1 picks the trusted log by key hint AND by `baseURL.match(name)`, the
 * note's name used as a regular expression; the scaffolding Rekor names itself after its pod
 * (`rekor-00001-deployment-…`), so its checkpoints never match. Rekor's own
 * `VerifyCheckpointSignature` (used by sigstore-go) selects the key by hint and verifies the
 * signature, and never reads the name; the name is outside the signed note body, and as a regex it
 * selects nothing (`.` matches every URL). For a line whose key hint is a trusted log's and whose
 * name does not match that log, the name is replaced with that log's base URL (escaped) in a copy
 * of the entry; the hint lookup, the signature over the note with the trusted key, the root hash
 * and the Merkle proof stay @sigstore/verify's. Unknown hints are left alone (and fail).
 */
function checkpointSignerNames(entity: SignedEntity, tlogs: TrustMaterial['tlogs']): SignedEntity {
  let changed = false;
  const tlogEntries = entity.tlogEntries.map((entry) => {
    const envelope = entry.inclusionProof?.checkpoint?.envelope;
    const split = envelope?.indexOf('\n\n') ?? -1;
    if (envelope === undefined || entry.inclusionProof === undefined || split < 0) return entry;
    const lines = envelope.slice(split + 2).split('\n');
    let rewritten = false;
    const renamed = lines.map((line) => {
      const match = NOTE_SIGNATURE_LINE.exec(line);
      if (match === null) return line;
      const [, name = '', signature = ''] = match;
      const hint = Buffer.from(signature, 'base64').subarray(0, 4);
      const log = hint.length === 4 ? tlogs.find((t) => t.logID.subarray(0, 4).equals(hint)) : undefined;
      if (log === undefined || log.baseURL.match(name) !== null || /\s/.test(log.baseURL) || log.baseURL === '') return line;
      rewritten = true;
      return `\u2014 ${log.baseURL.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} ${signature}`;
    });
    if (!rewritten) return entry;
    changed = true;
    const checkpoint = { ...entry.inclusionProof.checkpoint, envelope: envelope.slice(0, split + 2) + renamed.join('\n') };
    return { ...entry, inclusionProof: { ...entry.inclusionProof, checkpoint } };
  });
  return changed ? { ...entity, tlogEntries } : entity;
}

/**
 * RFC 3161 timestamps are counted against a threshold, as sigstore-go (pkg/verify/tsa.go
 * VerifySignedTimestampWithThreshold) and sigstore-python (Verifier._establish_time,
 * VERIFY_TIMESTAMP_THRESHOLD) do: a timestamp that no trusted TSA verifies is ignored, not fatal,
 * while @sigstore/verify 3.1 fails on it. More than 32 timestamps or byte-identical duplicates are
 * rejected first (both upstreams). The stock verification runs first; only when it fails and the
 * bundle carries two or more signed timestamps is each one probed by verifying the WHOLE bundle
 * against it alone; the bundle is then verified again, with every other check and the caller's
 * threshold, on the verified timestamps only (and the facts report only those).
 */
function verifyWithTimestampThreshold(verifier: Verifier, probe: Verifier, entity: SignedEntity): SignedEntity {
  const signedTimestamps = entity.timestamps.filter((t) => t.$case === 'timestamp-authority');
  if (signedTimestamps.length > MAX_SIGNED_TIMESTAMPS) {
    throw new AppError('SIGNATURE_INVALID', 'the bundle does not verify', { details: { reason: 'TIMESTAMP_ERROR', message: `too many signed timestamps: ${signedTimestamps.length}` } });
  }
  const raw = signedTimestamps.map((t) => (t.$case === 'timestamp-authority' ? t.timestamp.root.toDER().toString('base64') : ''));
  if (new Set(raw).size !== raw.length) {
    throw new AppError('SIGNATURE_INVALID', 'the bundle does not verify', { details: { reason: 'TIMESTAMP_ERROR', message: 'duplicate signed timestamp' } });
  }
  try {
    verifier.verify(entity);
    return entity;
  } catch (cause) {
    if (signedTimestamps.length < 2 || !(cause instanceof VerificationError) || cause.code !== 'TIMESTAMP_ERROR') throw mapError(cause);
    const verified = signedTimestamps.filter((t) => {
      try {
        probe.verify({ ...entity, timestamps: [t] });
        return true;
      } catch (probeError) {
        if (probeError instanceof VerificationError || probeError instanceof PolicyError) return false;
        throw mapError(probeError);
      }
    });
    if (verified.length === 0) throw mapError(cause);
    const narrowed: SignedEntity = { ...entity, timestamps: [...verified, ...entity.timestamps.filter((t) => t.$case !== 'timestamp-authority')] };
    try {
      verifier.verify(narrowed);
    } catch (again) {
      throw mapError(again);
    }
    return narrowed;
  }
}

/**
 * Rekor v2 logs a DSSE signature as a hashedrekord 0.0.2 entry whose digest is SHA-256 of the
 * DSSE PAE (the bytes actually signed), where @sigstore/verify 3.1 compares it with SHA-256 of the
 * payload. When EVERY tlog entry of a DSSE bundle is hashedrekord 0.0.2, the entry's digest is
 * compared with SHA-256(PAE) instead; the signature comparison, the signature verification over
 * the PAE, inclusion proof, checkpoint and all other checks stay @sigstore/verify's. Any other
 * shape (dsse/intoto entries, or a mix) keeps the stock comparison.
 */
function rekorV2Dsse(bundle: Bundle): SignedEntity | null {
  if (bundle.content.$case !== 'dsseEnvelope') return null;
  const entries = bundle.verificationMaterial.tlogEntries;
  if (entries.length === 0 || !entries.every((e) => e.kindVersion?.kind === 'hashedrekord' && e.kindVersion.version === '0.0.2')) return null;
  const envelope = bundle.content.dsseEnvelope;
  const entity = toSignedEntity(bundle);
  const paeDigest = createHash('sha256').update(pae(envelope.payloadType, envelope.payload)).digest();
  const stock = entity.signature;
  return {
    ...entity,
    signature: {
      signature: stock.signature,
      compareSignature: (other) => stock.compareSignature(other),
      compareDigest: (other) => other.length === paeDigest.length && other.equals(paeDigest),
      verifySignature: (key) => stock.verifySignature(key),
    },
  };
}

function signerFacts(key: ReturnType<typeof toSignedEntity>['key']): SignerFacts {
  if (key.$case === 'public-key') {
    return { kind: 'public-key', hint: key.hint };
  }
  const cert = key.certificate;
  const extensions: Partial<Record<CertificateExtensionName, string>> = {};
  for (const [name, oid] of Object.entries(FULCIO_OIDS) as [keyof typeof FULCIO_OIDS, string][]) {
    if (name === 'issuerV1') continue;
    const value = extensionText(cert, oid, name === 'githubWorkflowTrigger' || name === 'githubWorkflowSha' || name === 'githubWorkflowName' || name === 'githubWorkflowRepository' || name === 'githubWorkflowRef');
    if (value !== null) extensions[name] = value;
  }
  const issuer = extensions.issuer ?? extensionText(cert, FULCIO_OIDS.issuerV1, true);
  return {
    kind: 'certificate',
    subjectAlternativeName: cert.subjectAltName ?? otherNameSan(cert),
    issuer: issuer ?? null,
    extensions,
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
  };
}

/** v1 extensions (1.1–1.6) hold raw bytes; v2 extensions (1.8+) hold a DER UTF8String. */
function extensionText(cert: X509Certificate, oid: string, raw: boolean): string | null {
  const ext = cert.extension(oid);
  if (ext === undefined) return null;
  const bytes = ext.value;
  if (raw) return bytes.toString('utf8');
  return derString(bytes);
}

/** Reads a DER UTF8String/IA5String/PrintableString; null for anything else. */
function derString(bytes: Buffer): string | null {
  const tag = bytes[0];
  const first = bytes[1];
  if ((tag !== 0x0c && tag !== 0x16 && tag !== 0x13) || first === undefined) return null;
  let length = first;
  let offset = 2;
  if (first & 0x80) {
    const count = first & 0x7f;
    if (count === 0 || count > 4) return null;
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (bytes[2 + i] ?? 0);
    offset = 2 + count;
  }
  if (offset + length !== bytes.length) return null;
  return bytes.subarray(offset).toString('utf8');
}

/** Fulcio writes username identities as an otherName SAN (OID 1.3.6.1.4.1.57264.1.7): read its UTF8String. */
function otherNameSan(cert: X509Certificate): string | null {
  const ext = cert.extSubjectAltName;
  if (ext === undefined) return null;
  const text = ext.value.toString('latin1');
  const match = /[\x20-\x7e]{3,}$/.exec(text);
  return match !== null ? match[0] : null;
}

function hashName(algorithm: number): 'sha256' | 'sha384' | 'sha512' {
  // protobuf HashAlgorithm: 1 SHA2_256, 2 SHA2_384, 3 SHA2_512
  return algorithm === 2 ? 'sha384' : algorithm === 3 ? 'sha512' : 'sha256';
}

function mapError(cause: unknown): AppError {
  if (cause instanceof VerificationError || cause instanceof PolicyError) {
    const code: ErrorCode = cause.code.startsWith('TLOG')
      ? 'TLOG_INVALID'
      : cause.code === 'CERTIFICATE_ERROR' || cause.code === 'UNTRUSTED_SIGNER_ERROR'
        ? 'CERTIFICATE_INVALID'
        : cause.code === 'PUBLIC_KEY_ERROR'
          ? 'KEY_INVALID'
          : 'SIGNATURE_INVALID';
    return new AppError(code, 'the bundle does not verify', { cause, details: { reason: cause.code, message: cause.message.slice(0, 300) } });
  }
  if (cause instanceof AppError) return cause;
  return new AppError('SIGNATURE_INVALID', 'the bundle does not verify', { cause, details: { message: cause instanceof Error ? cause.message.slice(0, 300) : '' } });
}
