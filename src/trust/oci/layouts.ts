import { createHash } from 'node:crypto';
import { AppError } from '../../core/errors.ts';
import type { Digest } from '../../core/digest.ts';
import { MEDIA_TYPES, type Descriptor, type ImageManifest } from '../../oci/index.ts';

/** cosign's names (github.com/sigstore/cosign pkg/oci/static, pkg/types). */
export const COSIGN = Object.freeze({
  simpleSigningMediaType: 'application/vnd.dev.cosign.simplesigning.v1+json',
  dsseMediaType: 'application/vnd.dsse.envelope.v1+json',
  signatureAnnotation: 'dev.cosignproject.cosign/signature',
  certificateAnnotation: 'dev.sigstore.cosign/certificate',
  chainAnnotation: 'dev.sigstore.cosign/chain',
  bundleAnnotation: 'dev.sigstore.cosign/bundle',
  predicateTypeAnnotation: 'predicateType',
  simpleSigningType: 'cosign container image signature',
});

export const SIGSTORE_BUNDLE_ARTIFACT_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
/** cosign's predicate for an image signature carried as a DSSE bundle (new bundle format). */
export const COSIGN_SIGN_PREDICATE = 'https://sigstore.dev/cosign/sign/v1';

export type CosignSuffix = 'sig' | 'att' | 'sbom';

/** `sha256:abc…` → `sha256-abc….sig` */
export function cosignTag(digest: Digest, suffix: CosignSuffix): string {
  return `${digest.replace(':', '-')}.${suffix}`;
}

/** The "simple signing" payload cosign signs for an image (containers/image signature format). */
export function simpleSigningPayload(dockerReference: string, manifestDigest: Digest): Buffer {
  return Buffer.from(
    JSON.stringify({
      critical: { identity: { 'docker-reference': dockerReference }, image: { 'docker-manifest-digest': manifestDigest }, type: COSIGN.simpleSigningType },
      optional: null,
    }),
  );
}

export interface SimpleSigning {
  readonly dockerReference: string;
  readonly manifestDigest: string;
}

export function parseSimpleSigning(bytes: Buffer): SimpleSigning {
  let value: { critical?: { identity?: { 'docker-reference'?: unknown }; image?: { 'docker-manifest-digest'?: unknown }; type?: unknown } };
  try {
    value = JSON.parse(bytes.toString('utf8')) as typeof value;
  } catch (cause) {
    throw new AppError('SIGNATURE_INVALID', 'the signature payload is not JSON', { cause });
  }
  const digest = value.critical?.image?.['docker-manifest-digest'];
  if (value.critical?.type !== COSIGN.simpleSigningType || typeof digest !== 'string') {
    throw new AppError('SIGNATURE_INVALID', 'not a cosign simple-signing payload');
  }
  const ref = value.critical.identity?.['docker-reference'];
  return { dockerReference: typeof ref === 'string' ? ref : '', manifestDigest: digest };
}

export interface Blob {
  readonly descriptor: Descriptor;
  readonly bytes: Buffer;
}

export function blobOf(bytes: Buffer, mediaType: string, annotations?: Readonly<Record<string, string>>): Blob {
  return {
    bytes,
    descriptor: {
      mediaType,
      digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`,
      size: bytes.length,
      ...(annotations !== undefined ? { annotations } : {}),
    },
  };
}

/**
 * The manifest cosign pushes at `sha256-<hex>.sig|.att`: an OCI image manifest whose layers are
 * the signed payloads (annotated with signature, certificate, Rekor bundle), and a config that
 * lists their digests as diff_ids, as go-containerregistry's mutate does.
 */
export function cosignManifest(layers: readonly Descriptor[]): { manifest: Buffer; config: Blob } {
  const config = blobOf(
    Buffer.from(
      JSON.stringify({
        architecture: '',
        created: '0001-01-01T00:00:00Z',
        history: layers.map(() => ({ created: '0001-01-01T00:00:00Z' })),
        os: '',
        rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) },
        config: {},
      }),
    ),
    MEDIA_TYPES.ociConfig,
  );
  const manifest: ImageManifest = { schemaVersion: 2, mediaType: MEDIA_TYPES.ociManifest, config: config.descriptor, layers: [...layers] };
  return { manifest: Buffer.from(JSON.stringify(manifest)), config };
}

/** An OCI 1.1 referrer: an artifact manifest carrying one Sigstore bundle, with `subject` = the image. */
export function referrerManifest(subject: Descriptor, bundle: Blob, annotations: Readonly<Record<string, string>>): { manifest: Buffer; config: Blob } {
  const config = blobOf(Buffer.from('{}'), MEDIA_TYPES.ociEmpty);
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociManifest,
    artifactType: SIGSTORE_BUNDLE_ARTIFACT_TYPE,
    config: config.descriptor,
    layers: [bundle.descriptor],
    subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
    annotations,
  };
  return { manifest: Buffer.from(JSON.stringify(manifest)), config };
}

/** cosign's Rekor bundle annotation: {SignedEntryTimestamp, Payload{body, integratedTime, logIndex, logID}}. */
export interface RekorBundleAnnotation {
  readonly SignedEntryTimestamp: string;
  readonly Payload: { readonly body: string; readonly integratedTime: number; readonly logIndex: number; readonly logID: string };
}

/** From a Sigstore bundle's first tlog entry (what cosign writes in dev.sigstore.cosign/bundle). */
export function rekorAnnotationFromBundle(bundle: Readonly<Record<string, unknown>>): RekorBundleAnnotation | null {
  const material = bundle['verificationMaterial'] as { tlogEntries?: { logIndex: string; logId: { keyId: string }; integratedTime: string; inclusionPromise?: { signedEntryTimestamp: string }; canonicalizedBody: string }[] } | undefined;
  const entry = material?.tlogEntries?.[0];
  if (entry?.inclusionPromise === undefined) return null;
  return {
    SignedEntryTimestamp: entry.inclusionPromise.signedEntryTimestamp,
    Payload: {
      body: entry.canonicalizedBody,
      integratedTime: Number(entry.integratedTime),
      logIndex: Number(entry.logIndex),
      logID: Buffer.from(entry.logId.keyId, 'base64').toString('hex'),
    },
  };
}

/**
 * Rebuilds a Sigstore bundle (v0.1 shape) from a cosign `.sig` layer: the message signature over the
 * payload, the Fulcio certificate (+ chain) and the Rekor bundle annotation as an inclusion promise.
 * This is how cosign itself verifies keyless tag-scheme signatures.
 */
export function bundleFromCosignLayer(payload: Buffer, annotations: Readonly<Record<string, string>>, kind: 'signature' | 'attestation' = 'signature'): Record<string, unknown> | null {
  const cert = annotations[COSIGN.certificateAnnotation];
  const rekor = annotations[COSIGN.bundleAnnotation];
  const signature = annotations[COSIGN.signatureAnnotation];
  if (cert === undefined || rekor === undefined || (kind === 'signature' && signature === undefined)) return null;
  const parsed = JSON.parse(rekor) as RekorBundleAnnotation;
  const body = JSON.parse(Buffer.from(parsed.Payload.body, 'base64').toString('utf8')) as { kind?: string; apiVersion?: string };
  const pemToB64 = (pem: string): string[] => [...pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)].map((m) => (m[1] ?? '').replace(/\s+/g, ''));
  const chain = [...pemToB64(cert), ...pemToB64(annotations[COSIGN.chainAnnotation] ?? '')];
  return {
    mediaType: 'application/vnd.dev.sigstore.bundle+json;version=0.1',
    verificationMaterial: {
      x509CertificateChain: { certificates: chain.map((rawBytes) => ({ rawBytes })) },
      tlogEntries: [
        {
          logIndex: String(parsed.Payload.logIndex),
          logId: { keyId: Buffer.from(parsed.Payload.logID, 'hex').toString('base64') },
          kindVersion: { kind: body.kind ?? 'hashedrekord', version: body.apiVersion ?? '0.0.1' },
          integratedTime: String(parsed.Payload.integratedTime),
          inclusionPromise: { signedEntryTimestamp: parsed.SignedEntryTimestamp },
          canonicalizedBody: parsed.Payload.body,
        },
      ],
    },
    ...(kind === 'attestation'
      ? { dsseEnvelope: JSON.parse(payload.toString('utf8')) as unknown }
      : { messageSignature: { messageDigest: { algorithm: 'SHA2_256', digest: createHash('sha256').update(payload).digest('base64') }, signature } }),
  };
}
