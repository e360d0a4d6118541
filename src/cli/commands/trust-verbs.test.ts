import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labImage } from '../../testing/lab.ts';
import { corpusDir, peersAvailable } from '../../testing/peers.ts';
import { registryAvailable, startRegistry, type TestRegistry } from '../../testing/registry.ts';
import { startMockSigstore } from '../../testing/sigstore-mock.ts';

const run = promisify(execFile);
const MAIN = new URL('../main.ts', import.meta.url).pathname;

async function tollgate(args: string[], env: Record<string, string> = {}, cwd?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [MAIN, ...args], { env: { ...process.env, ...env }, ...(cwd !== undefined ? { cwd } : {}) });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('cli: keygen / verify-bundle', () => {
  const NPM = `${corpusDir()}sigstore/npm-real/`;
  const SAN = 'https://github.com/microsoft/playwright-cli/.github/workflows/publish.yml@refs/tags/v0.1.1';
  const ISSUER = 'https://token.actions.githubusercontent.com';

  it('verify-bundle: pass with the documented identity (exit 0), 1 with another, 5 on a changed artifact', async () => {
    const bundle = `${NPM}playwright-cli-0.1.1-provenance.sigstore.json`;
    const ok = await tollgate(['verify-bundle', bundle, '--artifact', `${NPM}playwright-cli-0.1.1.tgz`, '--certificate-identity', SAN, '--certificate-oidc-issuer', ISSUER]);
    expect(ok.code).toBe(0);
    const report = JSON.parse(ok.stdout) as { verdict: string; facts: { signer: { extensions: Record<string, string> } } };
    expect(report.verdict).toBe('pass');
    expect(report.facts.signer.extensions['githubWorkflowRepository']).toBe('microsoft/playwright-cli');
    const other = await tollgate(['verify-bundle', bundle, '--artifact', `${NPM}playwright-cli-0.1.1.tgz`, '--certificate-identity-regexp', '^https://github.com/evil/', '--certificate-oidc-issuer', ISSUER]);
    expect(other.code).toBe(1);
    const dir = await mkdtemp(join(tmpdir(), 'tollgate-vb-'));
    const changed = Buffer.from(await readFile(`${NPM}playwright-cli-0.1.1.tgz`));
    changed[500] = (changed[500] ?? 0) ^ 1;
    await writeFile(join(dir, 'x.tgz'), changed);
    const bad = await tollgate(['verify-bundle', bundle, '--artifact', join(dir, 'x.tgz'), '--certificate-identity', SAN, '--certificate-oidc-issuer', ISSUER]);
    expect(bad.code).toBe(5);
    expect((JSON.parse(bad.stdout) as { error: { code: string } }).error.code).toBe('DIGEST_MISMATCH');
    // a file that is not a bundle is invalid input (exit 2), not a failed verification (5)
    await writeFile(join(dir, 'not-a-bundle.json'), '{"mediaType":"nonsense"}');
    const invalid = await tollgate(['verify-bundle', join(dir, 'not-a-bundle.json'), '--artifact', `${NPM}playwright-cli-0.1.1.tgz`, '--certificate-identity', SAN, '--certificate-oidc-issuer', ISSUER]);
    expect((JSON.parse(invalid.stdout) as { error: { code: string; kind: string } }).error).toMatchObject({ code: 'BUNDLE_INVALID', kind: 'invalid-input' });
    expect(invalid.code).toBe(2);
    await rm(dir, { recursive: true, force: true });
  });

  it('keygen writes a cosign key pair, refuses to overwrite, needs a password', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tollgate-kg-'));
    const first = await tollgate(['keygen', '--output-key-prefix', join(dir, 'k'), '--format', 'json'], { COSIGN_PASSWORD: 'pw' });
    expect(first.code).toBe(0);
    expect(await readFile(join(dir, 'k.key'), 'utf8')).toContain('BEGIN ENCRYPTED SIGSTORE PRIVATE KEY');
    expect(await readFile(join(dir, 'k.pub'), 'utf8')).toContain('BEGIN PUBLIC KEY');
    expect((await tollgate(['keygen', '--output-key-prefix', join(dir, 'k')], { COSIGN_PASSWORD: 'pw' })).code).toBe(2);
    const env = { ...process.env } as Record<string, string>;
    delete env['COSIGN_PASSWORD'];
    delete env['TOLLGATE_KEY_PASSWORD'];
    const { code } = await run(process.execPath, [MAIN, 'keygen', '--output-key-prefix', join(dir, 'z')], { env }).then(() => ({ code: 0 }), (e: { code: number }) => ({ code: e.code }));
    expect(code).toBe(2);
    await rm(dir, { recursive: true, force: true });
  });
});

describe.skipIf(!(registryAvailable() && peersAvailable('skopeo')))('cli: sign / attest / verify against docker-registry', () => {
  let registry: TestRegistry;
  let dir: string;
  beforeAll(async () => {
    registry = await startRegistry();
    dir = await mkdtemp(join(tmpdir(), 'tollgate-sv-'));
    const image = await labImage('debian-base');
    await run('skopeo', ['copy', '--dest-tls-verify=false', `oci:${image.ociLayout}:${image.ociLayoutTag}`, `docker://${registry.host}/cli/app:1`]);
  }, 300_000);
  afterAll(async () => {
    await registry?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('keygen → sign --key → verify --key; attest --type openvex → verify --type openvex; wrong key fails', async () => {
    const env = { COSIGN_PASSWORD: 'secret', TOLLGATE_INSECURE_REGISTRIES: registry.host };
    expect((await tollgate(['keygen', '--output-key-prefix', join(dir, 'cosign')], env)).code).toBe(0);
    expect((await tollgate(['keygen', '--output-key-prefix', join(dir, 'other')], env)).code).toBe(0);
    const image = `${registry.host}/cli/app:1`;
    const signed = await tollgate(['sign', '--key', join(dir, 'cosign.key'), image, '--format', 'json'], env);
    expect(signed.code, signed.stderr).toBe(0);
    expect((await tollgate(['verify', '--key', join(dir, 'cosign.pub'), image], env)).code).toBe(0);
    expect((await tollgate(['verify', '--key', join(dir, 'other.pub'), image], env)).code).toBe(1);
    const wrongPassword = await tollgate(['sign', '--key', join(dir, 'cosign.key'), image], { ...env, COSIGN_PASSWORD: 'nope' });
    expect(wrongPassword.code).toBe(2);
    expect(wrongPassword.stderr).toContain('KEY_PASSWORD_WRONG');
    const vex = join(dir, 'vex.json');
    await writeFile(vex, JSON.stringify({ '@context': 'https://openvex.dev/ns/v0.2.0', '@id': 'x', author: 'me', timestamp: '2026-01-01T00:00:00Z', version: 1, statements: [] }));
    expect((await tollgate(['attest', image, '--type', 'openvex', '--predicate', vex, '--key', join(dir, 'cosign.key')], env)).code).toBe(0);
    const verified = await tollgate(['verify', '--key', join(dir, 'cosign.pub'), image, '--type', 'openvex', '--format', 'json'], env);
    expect(verified.code).toBe(0);
    expect((JSON.parse(verified.stdout) as { found: unknown[] }).found).toHaveLength(2);
    expect((await tollgate(['verify', '--key', join(dir, 'cosign.pub'), image, '--type', 'slsa'], env)).code).toBe(1);
    const prov = await tollgate(['attest', 'provenance', '--subject', image, '--key', join(dir, 'cosign.key'), '--builder-id', 'https://ci.example/b', '--source-repo', 'https://git.example/app', '--source-commit', 'a'.repeat(40), '--source-ref', 'refs/heads/main'], env);
    expect(prov.code, prov.stderr).toBe(0);
    expect((await tollgate(['verify', '--key', join(dir, 'cosign.pub'), image, '--type', 'slsa'], env)).code).toBe(0);
  });

  it('keyless: sign --identity-token against mock Fulcio/Rekor, verify with --trusted-root and identity flags', async () => {
    const mock = await startMockSigstore();
    try {
      const env = { TOLLGATE_INSECURE_REGISTRIES: registry.host };
      const root = join(dir, 'mock-root.json');
      await writeFile(root, JSON.stringify(mock.trustedRoot));
      const SAN = 'https://github.com/org/app/.github/workflows/release.yml@refs/heads/main';
      const ISSUER = 'https://token.actions.githubusercontent.com';
      const token = mock.token({ iss: ISSUER, sub: SAN, repository: 'org/app', event_name: 'push' });
      const image = `${registry.host}/cli/app:1`;
      const signed = await tollgate(['sign', image, '--identity-token', token, '--fulcio-url', mock.fulcioURL, '--rekor-url', mock.rekorURL, '--layout', 'cosign'], env);
      expect(signed.code, signed.stderr).toBe(0);
      const ok = await tollgate(['verify', image, '--trusted-root', root, '--certificate-identity', SAN, '--certificate-oidc-issuer', ISSUER, '--certificate-github-workflow-repository', 'org/app', '--format', 'json'], env);
      expect(ok.code, ok.stderr).toBe(0);
      const bad = await tollgate(['verify', image, '--trusted-root', root, '--certificate-identity', SAN, '--certificate-oidc-issuer', ISSUER, '--certificate-github-workflow-repository', 'org/other'], env);
      expect(bad.code).toBe(1);
    } finally {
      await mock.stop();
    }
  });
});
