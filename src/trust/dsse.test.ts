import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { corpusDir } from '../testing/peers.ts';
import { pae, parseEnvelope, signEnvelope, verifyEnvelope, type DsseVerifier } from './dsse.ts';
import { generateKeyPair, signBytes, verifyBytes } from './keys.ts';
import type { KeyObject } from 'node:crypto';

const verifierFor = (key: KeyObject, keyid?: string): DsseVerifier => ({
  ...(keyid !== undefined ? { keyid } : {}),
  verify: (data, sig) => verifyBytes(key, data, sig),
});

describe('trust/dsse', () => {
  it('encodes PAE exactly as the DSSE spec example', () => {
    // protocol.md: PAE("http://example.com/HelloWorld", "hello world")
    expect(pae('http://example.com/HelloWorld', Buffer.from('hello world')).toString()).toBe(
      'DSSEv1 29 http://example.com/HelloWorld 11 hello world',
    );
  });

  it('counts bytes, not characters, in PAE lengths', () => {
    expect(pae('t', Buffer.from('é')).toString('utf8')).toBe('DSSEv1 1 t 2 é');
    expect(pae('', Buffer.alloc(0)).toString()).toBe('DSSEv1 0  0 ');
  });

  it('signs with several keys and verifies each; a changed payload fails', async () => {
    const a = generateKeyPair('ecdsa-p256');
    const b = generateKeyPair('ed25519');
    const env = await signEnvelope('application/vnd.in-toto+json', Buffer.from('{"x":1}'), [
      { keyid: 'a', sign: (d) => signBytes(a.privateKey, d) },
      { keyid: 'b', sign: (d) => signBytes(b.privateKey, d) },
    ]);
    expect(env.signatures.map((s) => s.keyid)).toEqual(['a', 'b']);
    const facts = verifyEnvelope(parseEnvelope(JSON.parse(JSON.stringify(env))), [verifierFor(a.publicKey, 'a'), verifierFor(b.publicKey, 'b')]);
    expect(facts.acceptedBy).toEqual(['a', 'b']);
    expect(facts.payload.toString()).toBe('{"x":1}');

    const other = generateKeyPair('ecdsa-p256');
    expect(() => verifyEnvelope(env, [verifierFor(other.publicKey)])).toThrow(expect.objectContaining({ code: 'SIGNATURE_INVALID' }));
    const tampered = { ...env, payload: Buffer.from('{"x":2}').toString('base64') };
    expect(() => verifyEnvelope(tampered, [verifierFor(a.publicKey)])).toThrow(expect.objectContaining({ code: 'SIGNATURE_INVALID' }));
    const retyped = { ...env, payloadType: 'text/plain' };
    expect(() => verifyEnvelope(retyped, [verifierFor(a.publicKey)])).toThrow(expect.objectContaining({ code: 'SIGNATURE_INVALID' }));
  });

  it('reports only the keys that verified (keyids are hints, not trust)', async () => {
    const a = generateKeyPair('ecdsa-p384');
    const env = await signEnvelope('t', Buffer.from('p'), [{ keyid: 'b', sign: (d) => signBytes(a.privateKey, d) }]);
    const facts = verifyEnvelope(env, [verifierFor(a.publicKey, 'a'), verifierFor(generateKeyPair().publicKey, 'b')]);
    expect(facts.acceptedBy).toEqual(['a']);
  });

  it('rejects malformed envelopes with codes', () => {
    expect(() => parseEnvelope({ payloadType: 't', payload: '!!', signatures: [] })).toThrow(expect.objectContaining({ code: 'INPUT_INVALID' }));
    expect(() => parseEnvelope({ payloadType: 't', payload: '' })).toThrow(expect.objectContaining({ code: 'INPUT_INVALID' }));
    expect(() => parseEnvelope(null)).toThrow(expect.objectContaining({ code: 'INPUT_INVALID' }));
  });

  it.each([
    ['sigstore-go/pkg/testing/data/bundles/dsse.sigstore.json'],
    ['cosign/pkg/cosign/testdata/oci-attestation.sigstore.json'],
    ['sigstore-go/pkg/testing/data/bundles/sigstore.js@2.0.0-provenance.sigstore.json'],
  ])('verifies the real DSSE envelope in %s with its certificate key', (path) => {
    const bundle = JSON.parse(readFileSync(`${corpusDir()}sigstore/${path}`, 'utf8')) as {
      dsseEnvelope: unknown;
      verificationMaterial: { certificate?: { rawBytes: string }; x509CertificateChain?: { certificates: { rawBytes: string }[] } };
    };
    const raw = bundle.verificationMaterial.certificate?.rawBytes ?? bundle.verificationMaterial.x509CertificateChain?.certificates[0]?.rawBytes;
    const key = new X509Certificate(Buffer.from(raw ?? '', 'base64')).publicKey;
    const env = parseEnvelope(bundle.dsseEnvelope);
    expect(verifyEnvelope(env, [verifierFor(key)]).acceptedBy).toEqual(['#0']);
    const flipped = Buffer.from(env.payload, 'base64');
    flipped[10] = (flipped[10] ?? 0) ^ 1;
    expect(() => verifyEnvelope({ ...env, payload: flipped.toString('base64') }, [verifierFor(key)])).toThrow(
      expect.objectContaining({ code: 'SIGNATURE_INVALID' }),
    );
  });
});
