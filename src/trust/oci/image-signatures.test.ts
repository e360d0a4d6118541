import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistryClient, MEDIA_TYPES, parseManifest, referrersTag, type RegistryClient } from '../../oci/index.ts';
import { labImage } from '../../testing/lab.ts';
import { peersAvailable } from '../../testing/peers.ts';
import { registryAvailable, startRegistry, type TestRegistry } from '../../testing/registry.ts';
import { startMockSigstore, type MockSigstore } from '../../testing/sigstore-mock.ts';
import { generateKeyPair } from '../keys.ts';
import { PREDICATE_TYPES, slsaProvenanceV1 } from '../predicates.ts';
import { publicGoodTrustRoot, trustRootFromJson, type TrustRoot } from '../sigstore/trusted-root.ts';
import { attestImage, signImage, verifyImage, type ImageSigner } from './image-signatures.ts';
import { COSIGN, cosignTag, SIGSTORE_BUNDLE_ARTIFACT_TYPE } from './layouts.ts';
import { resolveImage, type ImageTarget } from './store.ts';

const run = promisify(execFile);
const enabled = registryAvailable() && peersAvailable('skopeo', 'podman');

describe.skipIf(!enabled)('trust/oci: cosign tag scheme and OCI referrers on a real docker-registry 2.8', () => {
  let registry: TestRegistry;
  let client: RegistryClient;
  let target: ImageTarget;
  let mock: MockSigstore;
  let work: string;
  const key = generateKeyPair('ecdsa-p256');
  const other = generateKeyPair('ecdsa-p256');
  const root = publicGoodTrustRoot();
  const ISSUER = 'https://token.actions.githubusercontent.com';
  const SAN = 'https://github.com/org/app/.github/workflows/release.yml@refs/heads/main';

  beforeAll(async () => {
    registry = await startRegistry();
    mock = await startMockSigstore();
    work = await mkdtemp(join(tmpdir(), 'tollgate-trust-'));
    const image = await labImage('debian-base');
    await run('skopeo', ['copy', '--dest-tls-verify=false', `oci:${image.ociLayout}:${image.ociLayoutTag}`, `docker://${registry.host}/lab/app:1`]);
    client = createRegistryClient({ insecure: [registry.host] });
    target = await resolveImage(client, registry.host, 'lab/app', '1');
  }, 300_000);

  afterAll(async () => {
    await mock?.stop();
    await registry?.stop();
    if (work !== undefined) await rm(work, { recursive: true, force: true });
  });

  const keySigner = (): ImageSigner => ({ kind: 'key', privateKey: key.privateKey });

  it('signs with a key in both layouts; the cosign tag and the referrers tag schema exist', async () => {
    const written = await signImage(client, target, keySigner(), { cosign: true, referrers: true });
    expect(written.map((w) => w.layout)).toEqual(['cosign', 'referrers']);
    expect(written[1]?.via).toBe('tag-schema'); // distribution 2.8 has no referrers API
    const tags = await client.listTags(registry.host, 'lab/app');
    expect(tags).toContain(cosignTag(target.digest, 'sig'));
    expect(tags).toContain(referrersTag(target.digest));
    const sig = parseManifest((await client.getManifest({ registry: registry.host, repository: 'lab/app', reference: cosignTag(target.digest, 'sig') })).bytes);
    expect(sig.kind === 'manifest' && sig.layers[0]?.mediaType).toBe(COSIGN.simpleSigningMediaType);
    expect(sig.kind === 'manifest' && sig.layers[0]?.annotations?.[COSIGN.signatureAnnotation]).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const referrers = await client.getReferrers(registry.host, 'lab/app', target.digest, SIGSTORE_BUNDLE_ARTIFACT_TYPE);
    expect(referrers.manifests).toHaveLength(1);
  });

  it('verifies with the right key, and not with another key or without a key', async () => {
    const good = await verifyImage(client, target, { root, publicKey: key.publicKey, identity: {} });
    expect(good.verdict).toBe('pass');
    expect(good.found.map((f) => `${f.layout}:${f.verdict}`).sort()).toEqual(['cosign:pass', 'referrers:pass']);
    const bad = await verifyImage(client, target, { root, publicKey: other.publicKey, identity: {} });
    expect(bad.verdict).toBe('fail');
    expect(bad.found.every((f) => f.error !== null)).toBe(true);
    const none = await verifyImage(client, target, { root, identity: { certificateIdentity: SAN, certificateOidcIssuer: ISSUER } });
    expect(none.verdict).toBe('fail');
  });

  it('attests SLSA provenance with a key (.att + referrer) and verifies it by --type', async () => {
    const predicate = slsaProvenanceV1({ buildType: 'https://tollgate.dev/buildtypes/manual/v1', builderId: 'https://ci.example/builder', externalParameters: { repository: 'https://git.example/app' } });
    const written = await attestImage(client, target, PREDICATE_TYPES.slsa, predicate, keySigner(), { cosign: true, referrers: true });
    expect(written).toHaveLength(2);
    const ok = await verifyImage(client, target, { root, publicKey: key.publicKey, identity: {}, predicateType: PREDICATE_TYPES.slsa });
    expect(ok.found.map((f) => `${f.layout}:${f.kind}:${f.verdict}`).sort()).toEqual(['cosign:attestation:pass', 'referrers:attestation:pass']);
    const none = await verifyImage(client, target, { root, publicKey: key.publicKey, identity: {}, predicateType: PREDICATE_TYPES.openvex });
    expect(none.verdict).toBe('fail');
    expect(none.found).toHaveLength(0);
  });

  it('builds the bundle verifier only when there is a Sigstore bundle to verify, once per call', async () => {
    let built = 0;
    const counting: TrustRoot = {
      source: root.source,
      keyHints: root.keyHints,
      get material() {
        built += 1;
        return root.material;
      },
      withKey: (publicKey) => {
        built += 1;
        return root.withKey(publicKey);
      },
    };
    const image = await labImage('debian-base');
    await run('skopeo', ['copy', '--dest-tls-verify=false', `oci:${image.ociLayout}:${image.ociLayoutTag}`, `docker://${registry.host}/lab/lazy:1`]);
    const lazy = await resolveImage(client, registry.host, 'lab/lazy', '1');

    const unsigned = await verifyImage(client, lazy, { root: counting, identity: {} });
    expect(unsigned.found).toHaveLength(0);
    await signImage(client, lazy, keySigner(), { cosign: true, referrers: false });
    const simple = await verifyImage(client, lazy, { root: counting, publicKey: key.publicKey, identity: {} });
    expect(simple.found.map((f) => `${f.layout}:${f.verdict}`)).toEqual(['cosign:pass']);
    expect(built).toBe(0);

    // two referrer bundles in one call: one verifier
    await signImage(client, lazy, keySigner(), { cosign: false, referrers: true });
    await signImage(client, lazy, keySigner(), { cosign: false, referrers: true });
    const bundles = await verifyImage(client, lazy, { root: counting, publicKey: key.publicKey, identity: {} });
    expect(bundles.found.map((f) => `${f.layout}:${f.verdict}`).sort()).toEqual(['cosign:pass', 'referrers:pass', 'referrers:pass']);
    expect(built).toBe(1);
  });

  it('signs keylessly through mock Fulcio/Rekor; verifies only with the right identity and root', async () => {
    const mockRoot = trustRootFromJson(mock.trustedRoot, 'mock');
    const token = mock.token({ iss: ISSUER, sub: SAN, event_name: 'push', repository: 'org/app', ref: 'refs/heads/main' });
    const signer: ImageSigner = { kind: 'keyless', options: { fulcioURL: mock.fulcioURL, rekorURL: mock.rekorURL, identityToken: token } };
    await run('skopeo', ['copy', '--src-tls-verify=false', '--dest-tls-verify=false', `docker://${registry.host}/lab/app:1`, `docker://${registry.host}/lab/keyless:1`]);
    const t2 = await resolveImage(client, registry.host, 'lab/keyless', '1');
    await signImage(client, t2, signer, { cosign: true, referrers: true });
    await attestImage(client, t2, PREDICATE_TYPES.vuln, { scanner: { uri: 'x', version: '1' } }, signer, { cosign: true, referrers: false });
    const sig = parseManifest((await client.getManifest({ registry: registry.host, repository: 'lab/keyless', reference: cosignTag(t2.digest, 'sig') })).bytes);
    const annotations = sig.kind === 'manifest' ? (sig.layers[0]?.annotations ?? {}) : {};
    expect(annotations[COSIGN.certificateAnnotation]).toContain('BEGIN CERTIFICATE');
    expect(JSON.parse(annotations[COSIGN.bundleAnnotation] ?? '{}')).toHaveProperty('SignedEntryTimestamp');

    const pass = await verifyImage(client, t2, { root: mockRoot, identity: { certificateIdentity: SAN, certificateOidcIssuer: ISSUER } });
    expect(pass.found.map((f) => `${f.layout}:${f.verdict}`).sort()).toEqual(['cosign:pass', 'referrers:pass']);
    const att = await verifyImage(client, t2, { root: mockRoot, identity: { certificateIdentity: SAN, certificateOidcIssuer: ISSUER }, predicateType: PREDICATE_TYPES.vuln });
    expect(att.found.map((f) => `${f.layout}:${f.verdict}`)).toEqual(['cosign:pass']);
    const wrongIdentity = await verifyImage(client, t2, { root: mockRoot, identity: { certificateIdentity: `${SAN}x`, certificateOidcIssuer: ISSUER } });
    expect(wrongIdentity.verdict).toBe('fail');
    const wrongRoot = await verifyImage(client, t2, { root, identity: { certificateIdentity: SAN, certificateOidcIssuer: ISSUER } });
    expect(wrongRoot.verdict).toBe('fail');
  });

  it('skopeo copy with use-sigstore-attachments carries the cosign signature to another repository, where it still verifies', async () => {
    const registriesD = join(work, 'registries.d');
    await run('mkdir', ['-p', registriesD]);
    await writeFile(join(registriesD, 'default.yaml'), `docker:\n  ${registry.host}:\n    use-sigstore-attachments: true\n`);
    await run('skopeo', [
      '--registries.d', registriesD,
      'copy', '--src-tls-verify=false', '--dest-tls-verify=false',
      `docker://${registry.host}/lab/app@${target.digest}`, `docker://${registry.host}/copied/app:1`,
    ]);
    const copied = await resolveImage(client, registry.host, 'copied/app', '1');
    expect(copied.digest).toBe(target.digest);
    const tags = await client.listTags(registry.host, 'copied/app');
    expect(tags).toContain(cosignTag(target.digest, 'sig'));
    const result = await verifyImage(client, copied, { root, publicKey: key.publicKey, identity: {} });
    expect(result.found.filter((f) => f.layout === 'cosign').map((f) => f.verdict)).toEqual(['pass']);
    const wrong = await verifyImage(client, copied, { root, publicKey: other.publicKey, identity: {} });
    expect(wrong.verdict).toBe('fail');
    expect(MEDIA_TYPES.ociManifest).toBe('application/vnd.oci.image.manifest.v1+json');
  });
});
