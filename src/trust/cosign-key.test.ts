import { describe, expect, it } from 'vitest';
import { decryptPrivateKey, encryptPrivateKey, COSIGN_KEY_LABEL, isEncryptedKeyPem } from './cosign-key.ts';
import { generateKeyPair, keyAlgorithm, KEY_ALGORITHMS, parsePrivateKeyPem, parsePublicKeyPem, privateKeyToPem, publicKeyToPem, signBytes, verifyBytes } from './keys.ts';

// A key written by `cosign generate-key-pair` (scrypt N=65536) with an empty password, published as a
// test vector in conforma/cli internal/validate/vsa tests. Used only to prove we read cosign's format.
const COSIGN_WRITTEN_KEY = `-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----
eyJrZGYiOnsibmFtZSI6InNjcnlwdCIsInBhcmFtcyI6eyJOIjo2NTUzNiwiciI6
OCwicCI6MX0sInNhbHQiOiJLYU9OQzduQVJLOVgxM1FoaWFucjAwTTBGYys2Sitr
dnAxN1FuanpiVk9nPSJ9LCJjaXBoZXIiOnsibmFtZSI6Im5hY2wvc2VjcmV0Ym94
Iiwibm9uY2UiOiJVOHZqWWtqMlZOUFZGdlZFZWZ3bXZ5VGloUERrelBoaCJ9LCJj
aXBoZXJ0ZXh0IjoidWNWMnQ4TTZVNFJvb29FOXc0d3dkc3E1RDYrS2RKY245dERT
KzFwRDRGN040SVJOWEgzSTBua3h1a3NackFOUHR1emIvTkVYQ201dUp3Zjh3Qzl1
VlprbXdwNU5jRUZ6b3ZNS3JCZmNvdXdjaEkrMzkrQ0NhbVZPbzBucmRnZjhvcmpK
dXdrWDBYL1phY0RUTERGaUxyc1laMWVMMmlqMGU1MVRpZmVQNTl4WXNPK1FnM1Jv
OURRVjNQMk9ndDFDaVFHeGg1VXhUZytGc3c9PSJ9
-----END ENCRYPTED SIGSTORE PRIVATE KEY-----`;

const FAST = { N: 1024, r: 8, p: 1 };

describe('trust/keys', () => {
  it.each(KEY_ALGORITHMS.filter((a) => a !== 'rsa-4096' && a !== 'rsa-3072'))('%s: generate, PEM round trip, sign and verify', (alg) => {
    const pair = generateKeyPair(alg);
    const pub = parsePublicKeyPem(publicKeyToPem(pair.publicKey));
    const priv = parsePrivateKeyPem(privateKeyToPem(pair.privateKey));
    expect(keyAlgorithm(pub)).toBe(alg);
    const sig = signBytes(priv, Buffer.from('hello'));
    expect(verifyBytes(pub, Buffer.from('hello'), sig)).toBe(true);
    expect(verifyBytes(pub, Buffer.from('hellO'), sig)).toBe(false);
    expect(verifyBytes(pub, Buffer.from('hello'), Buffer.from('garbage'))).toBe(false);
  });

  it('accepts raw r||s (IEEE P1363) ECDSA signatures as well as DER', async () => {
    const { sign } = await import('node:crypto');
    const pair = generateKeyPair('ecdsa-p256');
    const raw = sign('sha256', Buffer.from('m'), { key: pair.privateKey, dsaEncoding: 'ieee-p1363' });
    expect(raw.length).toBe(64);
    expect(verifyBytes(pair.publicKey, Buffer.from('m'), raw)).toBe(true);
    expect(verifyBytes(pair.publicKey, Buffer.from('n'), raw)).toBe(false);
  });

  it('rejects what is not a key, and unsupported curves', () => {
    expect(() => parsePublicKeyPem('nope')).toThrow(expect.objectContaining({ code: 'KEY_INVALID' }));
    expect(() => parsePrivateKeyPem('-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----')).toThrow(expect.objectContaining({ code: 'KEY_INVALID' }));
  });
});

describe('trust/cosign-key', () => {
  it('decrypts a key cosign wrote (empty password) and it signs', async () => {
    const key = await decryptPrivateKey(COSIGN_WRITTEN_KEY, '');
    expect(keyAlgorithm(key)).toBe('ecdsa-p256');
    await expect(decryptPrivateKey(COSIGN_WRITTEN_KEY, 'x')).rejects.toMatchObject({ code: 'KEY_PASSWORD_WRONG' });
  });

  it.each(['ecdsa-p256', 'ecdsa-p384', 'ed25519', 'rsa-2048'] as const)('%s: encrypt and decrypt both ways', async (alg) => {
    const pair = generateKeyPair(alg);
    const pem = await encryptPrivateKey(pair.privateKey, 'correct horse', { scrypt: FAST });
    expect(pem.startsWith('-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n')).toBe(true);
    expect(isEncryptedKeyPem(pem)).toBe(true);
    const body = JSON.parse(Buffer.from(pem.split('\n').slice(1, -2).join(''), 'base64').toString()) as Record<string, Record<string, unknown>>;
    expect(body['kdf']?.['name']).toBe('scrypt');
    expect(body['cipher']?.['name']).toBe('nacl/secretbox');
    const back = await decryptPrivateKey(pem, 'correct horse');
    expect(verifyBytes(pair.publicKey, Buffer.from('m'), signBytes(back, Buffer.from('m')))).toBe(true);
    await expect(decryptPrivateKey(pem, 'wrong')).rejects.toMatchObject({ code: 'KEY_PASSWORD_WRONG' });
  });

  it('reads the older ENCRYPTED COSIGN PRIVATE KEY label', async () => {
    const pair = generateKeyPair();
    const pem = await encryptPrivateKey(pair.privateKey, 'p', { scrypt: FAST, label: COSIGN_KEY_LABEL });
    expect(pem).toContain('BEGIN ENCRYPTED COSIGN PRIVATE KEY');
    await expect(decryptPrivateKey(pem, 'p')).resolves.toBeDefined();
    const back = await decryptPrivateKey(pem, 'p');
    expect(verifyBytes(pair.publicKey, Buffer.from('m'), signBytes(back, Buffer.from('m')))).toBe(true);
  });

  it('refuses hostile parameters and garbage', async () => {
    const evil = Buffer.from(
      JSON.stringify({ kdf: { name: 'scrypt', params: { N: 1 << 30, r: 8, p: 1 }, salt: '' }, cipher: { name: 'nacl/secretbox', nonce: '' }, ciphertext: '' }),
    ).toString('base64');
    await expect(decryptPrivateKey(`-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n${evil}\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----`, 'p')).rejects.toMatchObject({ code: 'KEY_INVALID' });
    await expect(decryptPrivateKey('-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nbm90\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----', 'p')).rejects.toMatchObject({ code: 'KEY_INVALID' });
    await expect(decryptPrivateKey('hello', 'p')).rejects.toMatchObject({ code: 'KEY_INVALID' });
  });
});
