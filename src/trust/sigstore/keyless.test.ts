import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockSigstore, type MockSigstore } from '../../testing/sigstore-mock.ts';
import { checkIdentity } from './identity-policy.ts';
import { checkToken, fetchGithubActionsToken, keylessAttest, keylessSignBlob } from './keyless.ts';
import { createServer } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { trustRootFromJson } from './trusted-root.ts';
import { parseBundle, verifyBundle } from './verify-bundle.ts';

const ISSUER = 'https://token.actions.githubusercontent.com';
const SAN = 'https://github.com/org/app/.github/workflows/release.yml@refs/tags/v1.0.0';

describe('trust/sigstore keyless signing against @sigstore/mock Fulcio + Rekor over HTTP', () => {
  let mock: MockSigstore;
  beforeAll(async () => {
    mock = await startMockSigstore();
  });
  afterAll(async () => {
    await mock.stop();
  });

  const claims = { iss: ISSUER, sub: SAN, event_name: 'push', repository: 'org/app', ref: 'refs/tags/v1.0.0', sha: 'a'.repeat(40), workflow: 'release' };

  it('signs a blob keylessly, and the bundle verifies with the identity from the token', async () => {
    const artifact = Buffer.from('hello keyless');
    const json = await keylessSignBlob(artifact, { fulcioURL: mock.fulcioURL, rekorURL: mock.rekorURL, identityToken: mock.token(claims) });
    const root = trustRootFromJson(mock.trustedRoot, 'mock');
    const facts = verifyBundle(root, parseBundle(JSON.stringify(json)), { artifact });
    expect(facts.signer.kind).toBe('certificate');
    expect(facts.tlog).toHaveLength(1);
    expect(checkIdentity(facts, { certificateIdentity: SAN, certificateOidcIssuer: ISSUER, githubWorkflowTrigger: 'push' }).verdict).toBe('pass');
    expect(checkIdentity(facts, { certificateIdentity: SAN, certificateOidcIssuer: 'https://accounts.google.com' }).verdict).toBe('fail');
    expect(() => verifyBundle(root, parseBundle(JSON.stringify(json)), { artifact: Buffer.from('hello keyless!') })).toThrow(
      expect.objectContaining({ kind: 'verification' }),
    );
  });

  it('attests (DSSE) keylessly', async () => {
    const statement = Buffer.from(JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', subject: [{ name: 'x', digest: { sha256: 'b'.repeat(64) } }], predicateType: 'https://slsa.dev/provenance/v1', predicate: {} }));
    const json = await keylessAttest(statement, 'application/vnd.in-toto+json', { fulcioURL: mock.fulcioURL, rekorURL: mock.rekorURL, identityToken: mock.token(claims) });
    const facts = verifyBundle(trustRootFromJson(mock.trustedRoot, 'mock'), parseBundle(JSON.stringify(json)), { digest: `sha256:${'b'.repeat(64)}` });
    expect(facts.predicateType).toBe('https://slsa.dev/provenance/v1');
  });

  it('a bundle from the mock does not verify against the public-good root', async () => {
    const { publicGoodTrustRoot } = await import('./trusted-root.ts');
    const artifact = Buffer.from('x');
    const json = await keylessSignBlob(artifact, { fulcioURL: mock.fulcioURL, rekorURL: mock.rekorURL, identityToken: mock.token(claims) });
    expect(() => verifyBundle(publicGoodTrustRoot(), parseBundle(JSON.stringify(json)), { artifact })).toThrow(expect.objectContaining({ kind: 'verification' }));
  });

  it('refuses malformed and expired tokens before calling Fulcio', () => {
    expect(() => checkToken('nope')).toThrow(expect.objectContaining({ code: 'TOKEN_INVALID' }));
    expect(() => checkToken(mock.token({ exp: 1 }))).toThrow(expect.objectContaining({ code: 'TOKEN_EXPIRED' }));
  });

  it('gets the OIDC token from the GitHub Actions token request (audience sigstore), then signs with it', async () => {
    const seen: { auth?: string | undefined; audience?: string | null } = {};
    const token = mock.token(claims);
    const server = createServer((request, response) => {
      seen.auth = request.headers.authorization;
      seen.audience = new URL(request.url ?? '/', 'http://x').searchParams.get('audience');
      response.writeHead(request.headers.authorization === 'Bearer request-token' ? 200 : 403, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ value: token }));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token?api-version=2.0`;
    try {
      const got = await fetchGithubActionsToken({ url, token: 'request-token' }, fetch);
      expect(got).toBe(token);
      expect(seen).toEqual({ auth: 'Bearer request-token', audience: 'sigstore' });
      await expect(fetchGithubActionsToken({ url, token: 'wrong' }, fetch)).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
      const bundle = await keylessSignBlob(Buffer.from('x'), { fulcioURL: mock.fulcioURL, rekorURL: mock.rekorURL, identityToken: got });
      expect(bundle['mediaType']).toContain('bundle');
    } finally {
      server.close();
    }
  });
});
