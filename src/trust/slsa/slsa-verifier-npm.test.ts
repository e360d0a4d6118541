import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusDir } from '../../testing/peers.ts';
import { parseStatement } from '../in-toto.ts';
import { publicGoodTrustRoot } from '../sigstore/trusted-root.ts';
import { makeBundleVerifier, parseBundle } from '../sigstore/verify-bundle.ts';
import { checkNpmPackage, NPM_PUBLISH_PREDICATE, type NpmCheckFailure } from './npm.ts';
import { provenanceFacts } from './provenance.ts';

/** Harness: slsa-verifier's Test_runVerifyNpmPackage table over cli/slsa-verifier/testdata/npm/gha. */
const ROOT = `${corpusDir()}slsa-verifier/`;
const NPM = `${ROOT}cli/slsa-verifier/testdata/npm/gha/`;

interface NpmCase {
  test_function: string;
  name: string;
  artifact: string;
  source: string;
  pkgName?: string;
  pkgVersion?: string;
  builderID?: string;
  err?: string;
}

const EXPECTED: Readonly<Record<string, NpmCheckFailure | 'signature'>> = {
  'serrors.ErrorInvalidSignature': 'signature',
  'serrors.ErrorMismatchPackageName': 'mismatch-package-name',
  'serrors.ErrorMismatchPackageVersion': 'mismatch-package-version',
  'serrors.ErrorMismatchSource': 'mismatch-source',
  'serrors.ErrorInvalidBuilderID': 'invalid-builder-id',
  'serrors.ErrorNotSupported': 'builder-not-supported',
  'serrors.ErrorMismatchHash': 'mismatch-hash',
  'serrors.ErrorMismatchBuilderID': 'mismatch-builder-id',
};

describe('trust/slsa: slsa-verifier npm regression harness', () => {
  const verify = makeBundleVerifier(publicGoodTrustRoot());

  function run(c: NpmCase): NpmCheckFailure | 'signature' | 'pass' {
    const tarball = readFileSync(`${NPM}${c.artifact}`);
    const tarballDigest = `sha512:${createHash('sha512').update(tarball).digest('hex')}`;
    const doc = JSON.parse(readFileSync(`${NPM}${c.artifact}.json`, 'utf8')) as { attestations: { predicateType: string; bundle: unknown }[] };
    let provenance;
    let publish;
    try {
      for (const attestation of doc.attestations) {
        const facts = verify(parseBundle(JSON.stringify(attestation.bundle)));
        const statement = parseStatement(facts.payload ?? Buffer.alloc(0));
        if (attestation.predicateType === NPM_PUBLISH_PREDICATE) {
          if (facts.signer.kind !== 'public-key') return 'signature'; // the publish attestation is npm's key
          const predicate = statement.predicate as { name?: string; version?: string };
          publish = { name: predicate.name ?? null, version: predicate.version ?? null, subjectDigests: facts.subjectDigests };
        } else {
          if (facts.signer.kind !== 'certificate') return 'signature';
          provenance = provenanceFacts(statement);
        }
      }
    } catch (error) {
      if ((error as { kind?: string }).kind === 'verification' || (error as { code?: string }).code === 'BUNDLE_INVALID') return 'signature';
      throw error;
    }
    if (provenance === undefined || publish === undefined) return 'signature';
    const check = checkNpmPackage(
      { provenance, publish },
      {
        tarballDigest,
        sourceUri: c.source,
        ...(c.builderID !== undefined ? { builderId: c.builderID } : {}),
        ...(c.pkgName !== undefined ? { packageName: c.pkgName } : {}),
        ...(c.pkgVersion !== undefined ? { packageVersion: c.pkgVersion } : {}),
      },
    );
    return check.verdict === 'pass' ? 'pass' : check.failure;
  }

  it('agrees with the expected result of every case', () => {
    const cases = (JSON.parse(readFileSync(`${ROOT}regression-cases.json`, 'utf8')) as NpmCase[]).filter((c) => c.test_function === 'Test_runVerifyNpmPackage');
    const lines: string[] = [];
    const problems: string[] = [];
    for (const c of cases) {
      const want = c.err === undefined ? 'pass' : (EXPECTED[c.err] ?? c.err);
      const got = run(c);
      lines.push(`${got === want ? 'agree   ' : 'DISAGREE'} ${c.name} (${c.artifact}): want ${want}, got ${got}`);
      if (got !== want) problems.push(`${c.name}: want ${want}, got ${got}`);
    }
    console.log(`slsa-verifier npm harness: ${cases.length - problems.length}/${cases.length} agree\n${lines.join('\n')}`);
    // an empty or mis-filtered case list must fail, not agree vacuously (32 cases in the corpus)
    expect(cases.length).toBeGreaterThanOrEqual(32);
    expect(problems).toEqual([]);
  });
});
