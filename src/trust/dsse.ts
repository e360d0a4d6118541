import { AppError } from '../core/errors.ts';

/** A DSSE envelope as JSON carries it (https://github.com/secure-systems-lab/dsse/blob/master/envelope.md). */
export interface DsseEnvelope {
  readonly payloadType: string;
  /** Standard base64 of the payload bytes. */
  readonly payload: string;
  readonly signatures: readonly DsseSignature[];
}

export interface DsseSignature {
  readonly keyid?: string;
  /** Standard base64 of the signature over PAE(payloadType, payload). */
  readonly sig: string;
}

/** Anything that signs bytes: a local key, a KMS, a keyless signer. */
export interface DsseSigner {
  readonly keyid?: string;
  sign(data: Buffer): Buffer | Promise<Buffer>;
}

/** Anything that verifies a signature over bytes. */
export interface DsseVerifier {
  readonly keyid?: string;
  verify(data: Buffer, signature: Buffer): boolean;
}

/** Facts from one envelope verification; a policy decides whether the accepted count is enough. */
export interface DsseVerification {
  readonly payloadType: string;
  readonly payload: Buffer;
  /** keyids (or verifier indexes as `#n` when a verifier has none) whose signature checked out. */
  readonly acceptedBy: readonly string[];
  readonly signatureCount: number;
}

const MAX_ENVELOPE_SIGNATURES = 64;

/**
 * Pre-Authentication Encoding, DSSE v1:
 * "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, LEN = ASCII decimal byte length.
 */
export function pae(payloadType: string, payload: Uint8Array): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([
    Buffer.from(`DSSEv1 ${type.length} `, 'utf8'),
    type,
    Buffer.from(` ${payload.length} `, 'utf8'),
    payload,
  ]);
}

/** Signs once per signer; every signer signs the same PAE bytes. */
export async function signEnvelope(
  payloadType: string,
  payload: Uint8Array,
  signers: readonly DsseSigner[],
): Promise<DsseEnvelope> {
  if (signers.length === 0) {
    throw new AppError('USAGE', 'a DSSE envelope needs at least one signer');
  }
  const data = pae(payloadType, payload);
  const signatures: DsseSignature[] = [];
  for (const signer of signers) {
    const sig = await signer.sign(data);
    signatures.push({ ...(signer.keyid !== undefined && signer.keyid !== '' ? { keyid: signer.keyid } : {}), sig: sig.toString('base64') });
  }
  return { payloadType, payload: Buffer.from(payload).toString('base64'), signatures };
}

/** Parses untrusted JSON into an envelope or throws SIGNATURE_INVALID / INPUT_INVALID. */
export function parseEnvelope(value: unknown): DsseEnvelope {
  if (value === null || typeof value !== 'object') {
    throw new AppError('INPUT_INVALID', 'a DSSE envelope must be a JSON object');
  }
  const record = value as Record<string, unknown>;
  const { payloadType, payload, signatures } = record;
  if (typeof payloadType !== 'string' || typeof payload !== 'string' || !Array.isArray(signatures)) {
    throw new AppError('INPUT_INVALID', 'a DSSE envelope needs payloadType, payload and signatures');
  }
  if (!isBase64(payload)) {
    throw new AppError('INPUT_INVALID', 'the DSSE payload is not base64');
  }
  if (signatures.length > MAX_ENVELOPE_SIGNATURES) {
    throw new AppError('LIMIT_ENTRY_COUNT', 'too many signatures in a DSSE envelope', { details: { count: signatures.length } });
  }
  const parsed: DsseSignature[] = signatures.map((entry: unknown) => {
    const sig = (entry as Record<string, unknown> | null)?.['sig'];
    const keyid = (entry as Record<string, unknown> | null)?.['keyid'];
    if (typeof sig !== 'string' || !isBase64(sig)) {
      throw new AppError('INPUT_INVALID', 'a DSSE signature needs a base64 sig');
    }
    return typeof keyid === 'string' && keyid !== '' ? { keyid, sig } : { sig };
  });
  return { payloadType, payload, signatures: parsed };
}

/**
 * Verifies every signature against every verifier (keyids are hints, never trusted to skip a check).
 * Returns the facts; throws SIGNATURE_INVALID only when no signature verifies with any verifier.
 */
export function verifyEnvelope(envelope: DsseEnvelope, verifiers: readonly DsseVerifier[]): DsseVerification {
  const payload = Buffer.from(envelope.payload, 'base64');
  const data = pae(envelope.payloadType, payload);
  const acceptedBy = new Set<string>();
  verifiers.forEach((verifier, index) => {
    const name = verifier.keyid !== undefined && verifier.keyid !== '' ? verifier.keyid : `#${index}`;
    for (const signature of envelope.signatures) {
      if (verifier.verify(data, Buffer.from(signature.sig, 'base64'))) {
        acceptedBy.add(name);
        return;
      }
    }
  });
  if (acceptedBy.size === 0) {
    throw new AppError('SIGNATURE_INVALID', 'no DSSE signature verifies with the given keys', {
      details: { signatures: envelope.signatures.length, verifiers: verifiers.length },
    });
  }
  return { payloadType: envelope.payloadType, payload, acceptedBy: [...acceptedBy].sort(), signatureCount: envelope.signatures.length };
}

export function isBase64(text: string): boolean {
  return /^[A-Za-z0-9+/]*={0,2}$/.test(text) && text.length % 4 === 0;
}
