import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusDir } from '../../testing/peers.ts';
import { CORPUS_CASES } from './corpus-cases.ts';
import { runCorpusCase } from './corpus-run.ts';
import { checkIdentity } from './identity-policy.ts';
import { publicGoodTrustRoot, trustRootFromJson } from './trusted-root.ts';
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
    expect(agree).toBe(results.length);
    // every documented difference is a false negative (fails closed), never a false pass
    for (const c of CORPUS_CASES.filter((k) => k.knownDifference !== undefined)) expect(c.expected).toBe('pass');
  });

  it('fails the upstream load failures at load time or verification, never passes them', () => {
    const loadFailures = results.filter(({ c }) => c.failsAtLoad === true);
    expect(loadFailures.length).toBeGreaterThan(0);
    for (const { c, r } of loadFailures) {
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
    expect(runCorpusCase(ROOT, c!, read).verdict).toBe('pass');
    const mutated = runCorpusCase(ROOT, { ...c!, id: 'mutated' }, read, (bytes) => Buffer.concat([bytes, Buffer.from('x')]));
    expect(mutated.verdict).toBe('fail');
    expect(artifact.length).toBeGreaterThan(0);
  });
});

describe('trust/sigstore Rekor v2 DSSE logged as hashedrekord 0.0.2 over the PAE', () => {
  const STAGING = `${ROOT}trusted-roots/https%3A%2F%2Ftuf-repo-cdn.sigstage.dev/trusted_root.json`;
  const path = `${ROOT}sigstore-python/test/assets/a.dsse.staging-rekor-v2.txt.sigstore.json`;
  const root = trustRootFromJson(JSON.parse(readFileSync(STAGING, 'utf8')), 'staging');
  type Json = { dsseEnvelope: { payload: string; payloadType: string; signatures: { sig: string }[] }; verificationMaterial: { tlogEntries: { kindVersion: { kind: string; version: string } }[] } };
  const load = (): Json => JSON.parse(readFileSync(path, 'utf8')) as Json;

  it('verifies: the entry digest is SHA-256 of the PAE and the signature is the DSSE signature', () => {
    const facts = verifyBundle(root, parseBundle(readFileSync(path)));
    expect(facts.content).toBe('dsse');
    expect(facts.tlog[0]?.kind).toBe('hashedrekord');
    expect(facts.tlog[0]?.inclusionProof).toBe(true);
  });

  it('fails when one payload byte changes (signature and PAE digest no longer match)', () => {
    const json = load();
    const payload = Buffer.from(json.dsseEnvelope.payload, 'base64');
    payload[10] = (payload[10] ?? 0) ^ 1;
    json.dsseEnvelope.payload = payload.toString('base64');
    expect(() => verifyBundle(root, parseBundle(JSON.stringify(json)))).toThrow(expect.objectContaining({ kind: 'verification' }));
  });

  it('fails when the payload type changes (the PAE differs)', () => {
    const json = load();
    json.dsseEnvelope.payloadType = 'application/vnd.other+json';
    expect(() => verifyBundle(root, parseBundle(JSON.stringify(json)))).toThrow(expect.objectContaining({ kind: 'verification' }));
  });

  it('fails when the envelope signature is not the logged one', () => {
    const json = load();
    const sig = Buffer.from(json.dsseEnvelope.signatures[0]?.sig ?? '', 'base64');
    sig[sig.length - 1] = (sig[sig.length - 1] ?? 0) ^ 1;
    json.dsseEnvelope.signatures[0] = { ...json.dsseEnvelope.signatures[0], sig: sig.toString('base64') };
    expect(() => verifyBundle(root, parseBundle(JSON.stringify(json)))).toThrow(expect.objectContaining({ kind: 'verification' }));
  });

  it('fails when the entry claims another kind/version than its logged body', () => {
    const json = load();
    const entry = json.verificationMaterial.tlogEntries[0];
    if (entry !== undefined) entry.kindVersion = { kind: 'dsse', version: '0.0.2' };
    expect(() => verifyBundle(root, parseBundle(JSON.stringify(json)))).toThrow(expect.objectContaining({ kind: 'verification' }));
  });
});

describe('trust/sigstore RFC 3161 timestamps counted against a threshold (sigstore-go, sigstore-python)', () => {
  const c = CORPUS_CASES.find((k) => k.id === 'py/tsa/bundle.txt')!;
  type Json = { verificationMaterial: { timestampVerificationData: { rfc3161Timestamps: { signedTimestamp: string }[] } } };
  const withBundle = (edit: (json: Json) => void): ReturnType<typeof runCorpusCase> =>
    runCorpusCase(ROOT, { ...c, id: 'edited' }, (path) => {
      if (!path.endsWith(c.bundle)) return read(path);
      const json = JSON.parse(readFileSync(path, 'utf8')) as Json;
      edit(json);
      return Buffer.from(JSON.stringify(json));
    });
  const stamps = (json: Json): { signedTimestamp: string }[] => json.verificationMaterial.timestampVerificationData.rfc3161Timestamps;

  it('passes with one verified timestamp and one from an unknown TSA; reports only the verified time', () => {
    expect(runCorpusCase(ROOT, c, read)).toMatchObject({ verdict: 'pass' });
    const json = JSON.parse(readFileSync(`${ROOT}${c.bundle}`, 'utf8')) as Json;
    expect(stamps(json)).toHaveLength(2);
    const config = JSON.parse(readFileSync(`${ROOT}${c.trust}`, 'utf8')) as { trustedRoot: { timestampAuthorities?: unknown[] } };
    const ca = JSON.parse(readFileSync(`${ROOT}${c.tsaOverride ?? ''}`, 'utf8')) as unknown;
    const root = trustRootFromJson({ ...config.trustedRoot, timestampAuthorities: [...(config.trustedRoot.timestampAuthorities ?? []), ca] }, 'tsa');
    const facts = verifyBundle(root, parseBundle(readFileSync(`${ROOT}${c.bundle}`)), { artifact: readFileSync(`${ROOT}${c.artifact ?? ''}`) });
    expect(facts.verifiedTimes.filter((t) => t.source === 'tsa')).toHaveLength(1);
  });

  it('fails when no configured TSA verifies any timestamp (no tsa/ca.json)', () => {
    const { tsaOverride: _dropped, ...without } = c;
    expect(runCorpusCase(ROOT, without, read).verdict).toBe('fail');
  });

  it('fails when the artifact changes (every timestamp still verifies nothing else)', () => {
    expect(runCorpusCase(ROOT, { ...c, id: 'mutated' }, read, (bytes) => Buffer.concat([bytes, Buffer.from('x')])).verdict).toBe('fail');
  });

  it('fails when the verifiable timestamp is corrupted (leaving only the unknown one); corrupting the unknown one changes nothing', () => {
    const results = [0, 1].map((index) =>
      withBundle((json) => {
        const der = Buffer.from(stamps(json)[index]?.signedTimestamp ?? '', 'base64');
        der[der.length - 5] = (der[der.length - 5] ?? 0) ^ 1;
        stamps(json)[index] = { signedTimestamp: der.toString('base64') };
      }).verdict,
    );
    expect(results.sort()).toEqual(['fail', 'pass']);
  });

  it('fails with a byte-identical duplicate of a timestamp, and with more than 32', () => {
    expect(withBundle((json) => stamps(json).push({ ...stamps(json)[0]! })).verdict).toBe('fail');
    expect(withBundle((json) => stamps(json).push(...Array.from({ length: 31 }, (_, i) => stamps(json)[i % 2]!).map((s, i) => ({ signedTimestamp: Buffer.concat([Buffer.from(s.signedTimestamp, 'base64'), Buffer.from([i])]).toString('base64') })))).verdict).toBe('fail');
  });
});

describe('trust/sigstore checkpoint signer chosen by key hint, not by name (scaffolding Rekor)', () => {
  const c = CORPUS_CASES.find((k) => k.id === 'go/othername')!;
  type Json = { verificationMaterial: { tlogEntries: { inclusionProof: { checkpoint: { envelope: string } } }[] } };
  const withEnvelope = (edit: (envelope: string) => string): string =>
    runCorpusCase(ROOT, { ...c, id: 'edited' }, (path) => {
      if (!path.endsWith(c.bundle)) return read(path);
      const json = JSON.parse(readFileSync(path, 'utf8')) as Json;
      const proof = json.verificationMaterial.tlogEntries[0]?.inclusionProof;
      if (proof !== undefined) proof.checkpoint.envelope = edit(proof.checkpoint.envelope);
      return Buffer.from(JSON.stringify(json));
    }).verdict;
  const line = /\u2014 (\S+) (\S+)\n/;
  const editSignature = (envelope: string, f: (sig: Buffer) => void): string =>
    envelope.replace(line, (_all, name: string, sig: string) => {
      const bytes = Buffer.from(sig, 'base64');
      f(bytes);
      return `\u2014 ${name} ${bytes.toString('base64')}\n`;
    });

  it('passes as sigstore-go does, whatever the signer calls itself', () => {
    expect(withEnvelope((e) => e)).toBe('pass');
    expect(withEnvelope((e) => e.replace(line, (_all, _name: string, sig: string) => `\u2014 another-name ${sig}\n`))).toBe('pass');
  });

  it('fails when the checkpoint signature is altered', () => {
    expect(withEnvelope((e) => editSignature(e, (b) => void (b[b.length - 3] = (b[b.length - 3] ?? 0) ^ 1)))).toBe('fail');
  });

  it('fails when the key hint names no trusted log', () => {
    expect(withEnvelope((e) => editSignature(e, (b) => void (b[0] = (b[0] ?? 0) ^ 1)))).toBe('fail');
  });

  it('fails when the signed note body changes (tree size)', () => {
    expect(withEnvelope((e) => e.replace('\n4\n', '\n5\n'))).toBe('fail');
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
