/**
 * verify: signature verification throughput and latency, in-process.
 *  - key-based: cosign simple-signing signatures (ECDSA P-256, what `cosign sign --key` writes)
 *    and DSSE envelopes, verified per second. Target > 1,000/s.
 *  - keyless: the real npm provenance bundle (../shared/corpus/sigstore/npm-real) verified against the
 *    shipped public-good root with a warm verifier (chain, SCT, Rekor inclusion proof + SET, DSSE
 *    signature, subject digest), per bundle. Target < 10 ms.
 * --smoke: fewer iterations.
 */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { generateKeyPair, signBytes, verifyBytes } from '../src/trust/keys.ts';
import { signEnvelope, verifyEnvelope } from '../src/trust/dsse.ts';
import { simpleSigningPayload, parseSimpleSigning } from '../src/trust/oci/layouts.ts';
import { publicGoodTrustRoot } from '../src/trust/sigstore/trusted-root.ts';
import { makeBundleVerifier, parseBundle } from '../src/trust/sigstore/verify-bundle.ts';
import { checkIdentity } from '../src/trust/sigstore/identity-policy.ts';
import { createRequire } from 'node:module';
import { bundleFromJSON } from '@sigstore/bundle';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { Verifier, toSignedEntity, toTrustMaterial } from '@sigstore/verify';
import type { Benchmark, BenchComparison, BenchRow } from './types.ts';

const NPM = new URL('../../shared/corpus/sigstore/npm-real/', import.meta.url);

function measureLoop(iterations: number, fn: () => void): { seconds: number; perOp: number } {
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) fn();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { seconds, perOp: seconds / iterations };
}

export const verify: Benchmark = {
  name: 'verify',
  description: 'signature verification: key-based per second (target > 1,000/s), warm keyless bundle latency (target < 10 ms)',
  async run(ctx) {
    const iterations = ctx.smoke ? 500 : 5_000;
    const rows: BenchRow[] = [];
    const notes: string[] = [];

    // key-based: cosign simple-signing signature over an image digest
    const key = generateKeyPair('ecdsa-p256');
    const digest = `sha256:${createHash('sha256').update('image').digest('hex')}` as const;
    const payload = simpleSigningPayload('registry.example/app', digest);
    const sig = signBytes(key.privateKey, payload);
    let ok = 0;
    const checkOne = (): void => {
      if (verifyBytes(key.publicKey, payload, sig) && parseSimpleSigning(payload).manifestDigest === digest) ok++;
    };
    for (let i = 0; i < 50; i++) checkOne();
    ok = 0;
    const simple = measureLoop(iterations, checkOne);
    if (ok !== iterations) throw new Error('key-based verification failed during the benchmark');
    const simpleRate = iterations / simple.seconds;
    rows.push({ input: `${iterations} cosign signatures`, subject: 'tollgate key-based (ECDSA P-256)', measurement: { seconds: simple.seconds, peakRss: process.memoryUsage().rss }, notes: `${Math.round(simpleRate)}/s` });

    // key-based DSSE envelope (an attestation)
    const envelope = await signEnvelope('application/vnd.in-toto+json', Buffer.from(JSON.stringify({ _type: 'https://in-toto.io/Statement/v1' })), [{ sign: (d) => signBytes(key.privateKey, d) }]);
    const verifier = [{ verify: (d: Buffer, s: Buffer) => verifyBytes(key.publicKey, d, s) }];
    const dsse = measureLoop(iterations, () => {
      verifyEnvelope(envelope, verifier);
    });
    const dsseRate = iterations / dsse.seconds;
    rows.push({ input: `${iterations} DSSE envelopes`, subject: 'tollgate key-based DSSE', measurement: { seconds: dsse.seconds, peakRss: process.memoryUsage().rss }, notes: `${Math.round(dsseRate)}/s` });

    // keyless: real npm provenance bundle, warm verifier
    const bundle = parseBundle(readFileSync(new URL('playwright-cli-0.1.1-provenance.sigstore.json', NPM)));
    const tgzDigest = `sha512:${createHash('sha512').update(readFileSync(new URL('playwright-cli-0.1.1.tgz', NPM))).digest('hex')}`;
    const warm = makeBundleVerifier(publicGoodTrustRoot());
    const identity = { certificateIdentity: 'https://github.com/microsoft/playwright-cli/.github/workflows/publish.yml@refs/tags/v0.1.1', certificateOidcIssuer: 'https://token.actions.githubusercontent.com' };
    const once = (): void => {
      if (checkIdentity(warm(bundle, { digest: tgzDigest }), identity).verdict !== 'pass') throw new Error('keyless verification failed during the benchmark');
    };
    for (let i = 0; i < 5; i++) once();
    const keylessIterations = ctx.smoke ? 50 : 500;
    const keyless = measureLoop(keylessIterations, once);
    rows.push({ input: `${keylessIterations} × npm provenance bundle`, subject: 'tollgate keyless (warm)', measurement: { seconds: keyless.seconds, peakRss: process.memoryUsage().rss }, notes: `${(keyless.perOp * 1000).toFixed(2)} ms/bundle` });

    // peer: sigstore-js's own verifier (@sigstore/verify), used the way `sigstore.verify` uses it,
    // on the same bundle and the same shipped public-good root (cosign does not run here).
    const seeds = JSON.parse(readFileSync(createRequire(import.meta.url).resolve('@sigstore/tuf/seeds.json'), 'utf8')) as Record<string, { targets: Record<string, string> }>;
    const rootText = seeds['https://tuf-repo-cdn.sigstore.dev']?.targets['trusted_root.json'];
    if (rootText === undefined) throw new Error('the shipped TUF seed has no trusted_root.json');
    const peerVerifier = new Verifier(toTrustMaterial(TrustedRoot.fromJSON(JSON.parse(Buffer.from(rootText, 'base64').toString('utf8')))));
    const rawBundle = JSON.parse(readFileSync(new URL('playwright-cli-0.1.1-provenance.sigstore.json', NPM), 'utf8')) as unknown;
    const peerOnce = (): void => {
      // A fresh bundle object per run, as each verification parses its own bundle.
      const signer = peerVerifier.verify(toSignedEntity(bundleFromJSON(rawBundle)), {
        subjectAlternativeName: identity.certificateIdentity,
        extensions: { issuer: identity.certificateOidcIssuer },
      });
      if (signer.identity?.subjectAlternativeName !== identity.certificateIdentity) throw new Error('peer verification gave another identity');
    };
    for (let i = 0; i < 5; i++) peerOnce();
    const peer = measureLoop(keylessIterations, peerOnce);
    rows.push({ input: `${keylessIterations} × npm provenance bundle`, subject: '@sigstore/verify (sigstore-js) warm', measurement: { seconds: peer.seconds, peakRss: process.memoryUsage().rss }, notes: `${(peer.perOp * 1000).toFixed(2)} ms/bundle; no subject-digest or identity-policy step` });
    const comparisons: BenchComparison[] = [
      { input: 'npm provenance bundle', label: 'tollgate keyless vs @sigstore/verify', speedup: peer.perOp / keyless.perOp, target: { description: 'under 10 ms per bundle', met: keyless.perOp < 0.01 } },
    ];

    // calibration: one raw OpenSSL ECDSA P-256 and P-384 verify on this machine, now (shared machines are loaded)
    const { createPublicKey, generateKeyPairSync, sign: rawSign, verify: rawVerify } = await import('node:crypto');
    const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
    const p384Sig = rawSign('sha384', payload, p384.privateKey);
    const p384Pub = createPublicKey(p384.privateKey);
    const raw256 = measureLoop(ctx.smoke ? 200 : 1000, () => rawVerify('sha256', payload, key.publicKey, sig));
    const raw384 = measureLoop(ctx.smoke ? 50 : 200, () => rawVerify('sha384', payload, p384Pub, p384Sig));
    notes.push(`calibration: raw ECDSA verify P-256 ${(raw256.perOp * 1000).toFixed(3)} ms, P-384 ${(raw384.perOp * 1000).toFixed(3)} ms; a public-good keyless bundle needs 7 signature checks (2 of them P-384); keyless latency = ${(keyless.perOp / raw256.perOp).toFixed(0)} × one P-256 verify`);
    notes.push(`key-based cosign signatures: ${Math.round(simpleRate)}/s (target > 1,000/s: ${simpleRate > 1000 ? 'met' : 'NOT met'})`);
    notes.push(`key-based DSSE envelopes: ${Math.round(dsseRate)}/s`);
    notes.push(`keyless bundle, warm: ${(keyless.perOp * 1000).toFixed(2)} ms (target < 10 ms: ${keyless.perOp < 0.01 ? 'met' : 'NOT met'})`);
    ctx.log(notes.join('; '));
    return { rows, comparisons, notes };
  },
};
