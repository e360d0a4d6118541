import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { AppError } from '../core/errors.ts';

export type KeyAlgorithm = 'ecdsa-p256' | 'ecdsa-p384' | 'ed25519' | 'rsa-2048' | 'rsa-3072' | 'rsa-4096';

export const KEY_ALGORITHMS: readonly KeyAlgorithm[] = Object.freeze([
  'ecdsa-p256',
  'ecdsa-p384',
  'ed25519',
  'rsa-2048',
  'rsa-3072',
  'rsa-4096',
]);

export interface KeyPair {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

/** cosign's default is ECDSA P-256 with SHA-256. */
export function generateKeyPair(algorithm: KeyAlgorithm = 'ecdsa-p256'): KeyPair {
  switch (algorithm) {
    case 'ecdsa-p256':
      return generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    case 'ecdsa-p384':
      return generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
    case 'ed25519':
      return generateKeyPairSync('ed25519');
    case 'rsa-2048':
    case 'rsa-3072':
    case 'rsa-4096':
      return generateKeyPairSync('rsa', { modulusLength: Number(algorithm.slice(4)) });
  }
}

/** Which algorithm a key is, or KEY_INVALID for what cosign does not sign with. */
export function keyAlgorithm(key: KeyObject): KeyAlgorithm {
  const type = key.asymmetricKeyType;
  const details = key.asymmetricKeyDetails;
  if (type === 'ec') {
    if (details?.namedCurve === 'prime256v1') return 'ecdsa-p256';
    if (details?.namedCurve === 'secp384r1') return 'ecdsa-p384';
  } else if (type === 'ed25519') {
    return 'ed25519';
  } else if (type === 'rsa') {
    const bits = details?.modulusLength ?? 0;
    if (bits === 2048 || bits === 3072 || bits === 4096) return `rsa-${bits}`;
  }
  throw new AppError('KEY_INVALID', 'unsupported key type', {
    details: { type: type ?? 'unknown', curve: details?.namedCurve ?? '', bits: details?.modulusLength ?? 0 },
  });
}

/** The hash each algorithm signs with (null: Ed25519 signs the message itself). */
export function hashFor(algorithm: KeyAlgorithm): 'sha256' | 'sha384' | null {
  if (algorithm === 'ed25519') return null;
  return algorithm === 'ecdsa-p384' ? 'sha384' : 'sha256';
}

/** ECDSA: ASN.1 DER signature (as cosign writes; raw r||s is also accepted when verifying); RSA: PKCS#1 v1.5; Ed25519: pure. */
export function signBytes(privateKey: KeyObject, data: Uint8Array): Buffer {
  return sign(hashFor(keyAlgorithm(privateKey)), data, privateKey);
}

export function verifyBytes(publicKey: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  let algorithm: KeyAlgorithm;
  try {
    algorithm = keyAlgorithm(publicKey);
  } catch (error) {
    if (error instanceof AppError) return false;
    throw error;
  }
  try {
    if (verify(hashFor(algorithm), data, publicKey, signature)) return true;
    // Some signers (KMS-backed VSAs, WebCrypto) write ECDSA as raw r||s (IEEE P1363), not DER.
    const raw = algorithm === 'ecdsa-p256' ? 64 : algorithm === 'ecdsa-p384' ? 96 : 0;
    return raw !== 0 && signature.length === raw && verify(hashFor(algorithm), data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature);
  } catch (error) {
    // a malformed DER signature makes OpenSSL throw: that is "does not verify", not a crash
    if (error instanceof Error) return false;
    throw error;
  }
}

/** SubjectPublicKeyInfo PEM (`-----BEGIN PUBLIC KEY-----`), what cosign writes to cosign.pub. */
export function publicKeyToPem(key: KeyObject): string {
  return key.export({ type: 'spki', format: 'pem' }).toString();
}

/** Unencrypted PKCS#8 PEM. */
export function privateKeyToPem(key: KeyObject): string {
  return key.export({ type: 'pkcs8', format: 'pem' }).toString();
}

export function privateKeyToPkcs8Der(key: KeyObject): Buffer {
  return key.export({ type: 'pkcs8', format: 'der' });
}

/** Reads a public key PEM (SPKI, PKCS#1 RSA) or a certificate PEM's key. */
export function parsePublicKeyPem(pem: string): KeyObject {
  try {
    const key = createPublicKey(pem);
    keyAlgorithm(key);
    return key;
  } catch (cause) {
    if (cause instanceof AppError) throw cause;
    throw new AppError('KEY_INVALID', 'not a PEM public key', { cause });
  }
}

/** Reads an unencrypted private key PEM (PKCS#8, SEC1 EC, PKCS#1 RSA). */
export function parsePrivateKeyPem(pem: string): KeyObject {
  if (pem.includes('ENCRYPTED')) {
    throw new AppError('KEY_INVALID', 'the private key is encrypted; use the cosign key reader with a password');
  }
  try {
    const key = createPrivateKey(pem);
    keyAlgorithm(key);
    return key;
  } catch (cause) {
    if (cause instanceof AppError) throw cause;
    throw new AppError('KEY_INVALID', 'not a PEM private key', { cause });
  }
}

/** A stable key id: hex SHA-256 of the SPKI DER (what Sigstore trusted roots call the log id). */
export function keyId(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
}
