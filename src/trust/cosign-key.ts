import { createPrivateKey, randomBytes, scrypt, type KeyObject } from 'node:crypto';
import nacl from 'tweetnacl';
import { AppError } from '../core/errors.ts';
import { keyAlgorithm, privateKeyToPkcs8Der } from './keys.ts';

/**
 * The encrypted private-key format cosign and the containers/image sigstore signer read and write:
 * PEM (`ENCRYPTED SIGSTORE PRIVATE KEY`, formerly `ENCRYPTED COSIGN PRIVATE KEY`) around JSON
 * {kdf: scrypt{N,r,p} + salt, cipher: nacl/secretbox + nonce, ciphertext}, plaintext = PKCS#8 DER.
 * Field names and defaults follow go-securesystemslib's `encrypted` package.
 */
export const SIGSTORE_KEY_LABEL = 'ENCRYPTED SIGSTORE PRIVATE KEY';
export const COSIGN_KEY_LABEL = 'ENCRYPTED COSIGN PRIVATE KEY';

export interface ScryptParams {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/** go-securesystemslib's defaults (what `cosign generate-key-pair` uses). */
export const DEFAULT_SCRYPT: ScryptParams = Object.freeze({ N: 32768, r: 8, p: 1 });
const MAX_SCRYPT_N = 1 << 20;

interface EncryptedKeyJson {
  readonly kdf: { readonly name: 'scrypt'; readonly params: ScryptParams; readonly salt: string };
  readonly cipher: { readonly name: 'nacl/secretbox'; readonly nonce: string };
  readonly ciphertext: string;
}

export async function encryptPrivateKey(
  privateKey: KeyObject,
  password: string,
  options: { readonly scrypt?: ScryptParams; readonly label?: string } = {},
): Promise<string> {
  keyAlgorithm(privateKey);
  const params = options.scrypt ?? DEFAULT_SCRYPT;
  const salt = randomBytes(32);
  const nonce = randomBytes(nacl.secretbox.nonceLength);
  const key = await deriveKey(password, salt, params);
  const ciphertext = nacl.secretbox(privateKeyToPkcs8Der(privateKey), nonce, key);
  const body: EncryptedKeyJson = {
    kdf: { name: 'scrypt', params: { N: params.N, r: params.r, p: params.p }, salt: salt.toString('base64') },
    cipher: { name: 'nacl/secretbox', nonce: nonce.toString('base64') },
    ciphertext: Buffer.from(ciphertext).toString('base64'),
  };
  return toPem(options.label ?? SIGSTORE_KEY_LABEL, Buffer.from(JSON.stringify(body)));
}

/** KEY_PASSWORD_WRONG when the secretbox does not open; KEY_INVALID for anything malformed. */
export async function decryptPrivateKey(pem: string, password: string): Promise<KeyObject> {
  const der = fromPem(pem, [SIGSTORE_KEY_LABEL, COSIGN_KEY_LABEL]);
  let body: EncryptedKeyJson;
  try {
    body = JSON.parse(der.toString('utf8')) as EncryptedKeyJson;
  } catch (cause) {
    throw new AppError('KEY_INVALID', 'the encrypted key is not JSON', { cause });
  }
  const params = body?.kdf?.params;
  if (
    body?.kdf?.name !== 'scrypt' ||
    body.cipher?.name !== 'nacl/secretbox' ||
    typeof body.kdf.salt !== 'string' ||
    typeof body.cipher.nonce !== 'string' ||
    typeof body.ciphertext !== 'string' ||
    !Number.isInteger(params?.N) || !Number.isInteger(params?.r) || !Number.isInteger(params?.p)
  ) {
    throw new AppError('KEY_INVALID', 'unsupported encrypted key format (want scrypt + nacl/secretbox)');
  }
  if (params.N > MAX_SCRYPT_N || params.N < 2 || (params.N & (params.N - 1)) !== 0 || params.r > 32 || params.p > 16) {
    throw new AppError('KEY_INVALID', 'scrypt parameters out of range', { details: { N: params.N, r: params.r, p: params.p } });
  }
  const nonce = Buffer.from(body.cipher.nonce, 'base64');
  if (nonce.length !== nacl.secretbox.nonceLength) {
    throw new AppError('KEY_INVALID', 'bad secretbox nonce length');
  }
  const key = await deriveKey(password, Buffer.from(body.kdf.salt, 'base64'), params);
  const plain = nacl.secretbox.open(Buffer.from(body.ciphertext, 'base64'), nonce, key);
  if (plain === null) {
    throw new AppError('KEY_PASSWORD_WRONG', 'the password does not decrypt this key');
  }
  try {
    const privateKey = createPrivateKey({ key: Buffer.from(plain), format: 'der', type: 'pkcs8' });
    keyAlgorithm(privateKey);
    return privateKey;
  } catch (cause) {
    if (cause instanceof AppError) throw cause;
    throw new AppError('KEY_INVALID', 'the decrypted key is not PKCS#8', { cause });
  }
}

export function isEncryptedKeyPem(pem: string): boolean {
  return pem.includes(`-----BEGIN ${SIGSTORE_KEY_LABEL}-----`) || pem.includes(`-----BEGIN ${COSIGN_KEY_LABEL}-----`);
}

function deriveKey(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, 32, { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r + 1024 * 1024 }, (error, key) => {
      if (error !== null) reject(new AppError('KEY_INVALID', 'scrypt failed', { cause: error }));
      else resolve(key);
    });
  });
}

function toPem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

function fromPem(pem: string, labels: readonly string[]): Buffer {
  for (const label of labels) {
    const begin = `-----BEGIN ${label}-----`;
    const start = pem.indexOf(begin);
    const end = pem.indexOf(`-----END ${label}-----`);
    if (start !== -1 && end > start) {
      return Buffer.from(pem.slice(start + begin.length, end).replace(/\s+/g, ''), 'base64');
    }
  }
  throw new AppError('KEY_INVALID', 'not an encrypted Sigstore/cosign private key PEM');
}
