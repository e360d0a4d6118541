import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusDir } from '../../testing/peers.ts';
import { CORPUS_CASES } from './corpus-cases.ts';
import { runCorpusCase } from './corpus-run.ts';
import { checkIdentity } from './identity-policy.ts';
import { publicGoodTrustRoot } from './trusted-root.ts';
import { parseBundle, verifyBundle } from './verify-bundle.ts';

const ROOT = `${corpusDir()}sigstore/`;
const read = (path: string): Buffer => readFileSync(path);

describe('trust/sigstore corpus harness (upstream expectations)', () => {
  const results = CORPUS_CASES.map((c) => ({ c, r: runCorpusCase(ROOT, c, read) }));

  it('agrees with upstream on every case except the documented differences', () => {
    const lines = results.map(({ c, r }) => `${r.verdict === c.expected ? 'agree   ' : 'DISAGREE'} ${c.id.padEnd(36)} expected ${c.expected} got ${r.verdict} (${r.stage}) ${r.detail.slice(0, 120)}`);
    const agree = results.filter(({ c, r }) => r.verdict === c.expected).length;
    console.log(`sigstore corpus: ${agree}/${results.length} agree\n${lines.join('\n')}`);
    const disagreements = results.filter(({ c, r }) => r.verdict !== c.expected).map(({ c }) => c.id).sort();
    const documented = CORPUS_CASES.filter((c) => c.knownDifference !== undefined).map((c) => c.id).sort();
    expect(disagreements).toEqual(documented);
    // every documented difference is a false negative (fails closed), never a false pass
    for (const c of CORPUS_CASES.filter((k) => k.knownDifference !== undefined)) expect(c.expected).toBe('pass');
  });

  it('fails the upstream load failures at load time or verification, never passes them', () => {
    for (const { c, r } of results.filter(({ c }) => c.failsAtLoad === true)) {
      expect(r.verdict, c.id).toBe('fail');
    }
  });
});

describe('trust/sigstore npm-real (offline, public-good root from @sigstore/tuf)', () => {
  const bundle = parseBundle(readFileSync(`${ROOT}npm-real/playwright-cli-0.1.1-provenance.sigstore.json`));
  const tgz = readFileSync(`${ROOT}npm-real/playwright-cli-0.1.1.tgz`);
  const root = publicGoodTrustRoot();
  const SAN = 'https://github.com/microsoft/playwright-cli/.github/workflows/publish.yml@refs/tags/v0.1.1';
  const ISSUER = 'https://token.actions.githubusercontent.com';
  const { createHash } = globalThis.process.getBuiltinModule('node:crypto');
  const digest = `sha512:${createHash('sha512').update(tgz).digest('hex')}`;

  it('verifies with the documented identity, and the tarball digest is the subject', () => {
    const facts = verifyBundle(root, bundle, { digest });
    expect(facts.predicateType).toBe('https://slsa.dev/provenance/v1');
    expect(facts.tlog[0]?.inclusionProof).toBe(true);
    expect(checkIdentity(facts, { certificateIdentity: SAN, certificateOidcIssuer: ISSUER }).verdict).toBe('pass');
    expect(
      checkIdentity(facts, {
        certificateIdentityRegexp: '^https://github.com/microsoft/playwright-cli/',
        certificateOidcIssuer: ISSUER,
        githubWorkflowRepository: 'microsoft/playwright-cli',
        githubWorkflowRef: 'refs/tags/v0.1.1',
        githubWorkflowTrigger: 'release',
        githubWorkflowSha: 'd1c6d1113932ddcee243e8b111b6d4aea553df20',
      }).verdict,
    ).toBe('pass');
  });

  it.each([
    [{ certificateIdentity: SAN.replace('v0.1.1', 'v0.1.2'), certificateOidcIssuer: ISSUER }],
    [{ certificateIdentity: SAN, certificateOidcIssuer: 'https://gitlab.com' }],
    [{ certificateIdentityRegexp: '^https://github.com/evil/', certificateOidcIssuer: ISSUER }],
    [{ certificateIdentity: SAN, certificateOidcIssuer: ISSUER, githubWorkflowRepository: 'microsoft/other' }],
    [{ certificateIdentity: SAN, certificateOidcIssuer: ISSUER, githubWorkflowTrigger: 'push' }],
    [{ certificateIdentity: SAN }],
    [{}],
  ])('fails with any other identity: %j', (policy) => {
    const facts = verifyBundle(root, bundle, { digest });
    expect(checkIdentity(facts, policy).verdict).toBe('fail');
  });

  it('fails when one byte of the tarball changes (digest no longer the subject)', () => {
    const changed = Buffer.from(tgz);
    changed[1000] = (changed[1000] ?? 0) ^ 1;
    const other = `sha512:${createHash('sha512').update(changed).digest('hex')}`;
    expect(() => verifyBundle(root, bundle, { digest: other })).toThrow(expect.objectContaining({ code: 'DIGEST_MISMATCH' }));
  });

  it('fails when one byte of the signed payload changes', () => {
    const json = JSON.parse(readFileSync(`${ROOT}npm-real/playwright-cli-0.1.1-provenance.sigstore.json`, 'utf8')) as { dsseEnvelope: { payload: string } };
    const payload = Buffer.from(json.dsseEnvelope.payload, 'base64');
    payload[200] = (payload[200] ?? 0) ^ 1;
    json.dsseEnvelope.payload = payload.toString('base64');
    expect(() => verifyBundle(root, parseBundle(JSON.stringify(json)), { digest })).toThrow(expect.objectContaining({ kind: 'verification' }));
  });

  it('a key-based npm publish bundle is not accepted as a keyless identity', () => {
    const publish = parseBundle(readFileSync(`${ROOT}npm-real/playwright-cli-0.1.1-publish.sigstore.json`));
    const facts = verifyBundle(root, publish, { digest });
    expect(facts.signer.kind).toBe('public-key');
    expect(checkIdentity(facts, { certificateIdentity: SAN, certificateOidcIssuer: ISSUER }).verdict).toBe('fail');
  });

  it('message signatures verify by digest alone, and a wrong digest fails', () => {
    const c = CORPUS_CASES.find((k) => k.id === 'py/bundle.txt');
    expect(c).toBeDefined();
    const artifact = readFileSync(`${ROOT}${c?.artifact ?? ''}`);
    const mutated = runCorpusCase(ROOT, { ...c!, id: 'mutated' }, read, (bytes) => Buffer.concat([bytes, Buffer.from('x')]));
    expect(mutated.verdict).toBe('fail');
    expect(artifact.length).toBeGreaterThan(0);
  });
});

describe('trust/sigstore artifact binding for DSSE bundles', () => {
  it('checks the artifact file against the statement subjects', () => {
    const root = publicGoodTrustRoot();
    const bundle = parseBundle(readFileSync(`${ROOT}npm-real/playwright-cli-0.1.1-provenance.sigstore.json`));
    const tgz = readFileSync(`${ROOT}npm-real/playwright-cli-0.1.1.tgz`);
    expect(verifyBundle(root, bundle, { artifact: tgz }).subjectDigests).toHaveLength(1);
    const changed = Buffer.concat([tgz, Buffer.from([0])]);
    expect(() => verifyBundle(root, bundle, { artifact: changed })).toThrow(expect.objectContaining({ code: 'DIGEST_MISMATCH' }));
  });
});

describe('trust/sigstore detached certificate + signature pairs (sigstore-python test/assets)', () => {
  // sigstore-python signs with an ephemeral ECDSA P-384 key and SHA-256 (cosign sign-blob style
  // .crt/.sig); upstream: a, b, c, offline-rekor verify; bad.txt's signature does not match its content.
  const PY = `${ROOT}sigstore-python/test/assets/`;
  const { X509Certificate, verify } = globalThis.process.getBuiltinModule('node:crypto');
  const staging = JSON.parse(readFileSync(`${ROOT}trusted-roots/https%3A%2F%2Ftuf-repo-cdn.sigstage.dev/trusted_root.json`, 'utf8')) as {
    certificateAuthorities: { certChain: { certificates: { rawBytes: string }[] } }[];
  };
  const intermediates = staging.certificateAuthorities.flatMap((ca) => ca.certChain.certificates.map((c) => new X509Certificate(Buffer.from(c.rawBytes, 'base64'))));

  it.each([
    ['a.txt', true],
    ['b.txt', true],
    ['c.txt', true],
    ['offline-rekor.txt', true],
    ['bad.txt', false],
  ])('%s verifies: %s (signature with the certificate key; certificate issued by the staging Fulcio)', (name, expected) => {
    const cert = new X509Certificate(readFileSync(`${PY}${name}.crt`));
    expect(intermediates.some((ca) => cert.checkIssued(ca) && cert.verify(ca.publicKey))).toBe(true);
    const sig = Buffer.from(readFileSync(`${PY}${name}.sig`, 'utf8').trim(), 'base64');
    expect(verify('sha256', readFileSync(`${PY}${name}`), cert.publicKey, sig)).toBe(expected);
  });
});
