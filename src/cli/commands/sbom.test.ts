import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeOciIndexLayout } from '../../testing/oci-craft.ts';
import { craftTar, gzip } from '../../testing/tar-craft.ts';
import { runCli } from '../../testing/cli.ts';

const tollgate = runCli;

/** One image per platform: the same Debian os-release, left-pad 1.0.0 on amd64 and 1.3.0 on arm64. */
function multiPlatform(dir: string) {
  const image = (leftPad: string) => {
    const tar = craftTar([
      { name: 'etc/', type: '5' },
      { name: 'etc/os-release', body: 'ID=debian\nVERSION_ID="12"\n' },
      { name: 'usr/', type: '5' },
      { name: 'usr/lib/', type: '5' },
      { name: 'usr/lib/node_modules/', type: '5' },
      { name: 'usr/lib/node_modules/left-pad/', type: '5' },
      { name: 'usr/lib/node_modules/left-pad/package.json', body: JSON.stringify({ name: 'left-pad', version: leftPad, license: 'WTFPL' }) },
    ]);
    return { layers: [gzip(tar)], tars: [tar] };
  };
  return writeOciIndexLayout(dir, [
    { ...image('1.0.0'), architecture: 'amd64' },
    { ...image('1.3.0'), architecture: 'arm64', variant: 'v8' },
  ]);
}

interface SbomJson {
  readonly subject: { readonly digest?: string };
  readonly packages: readonly { readonly name: string; readonly version: string }[];
}

describe('tollgate sbom / scan --platform', () => {
  const work = mkdtempSync(join(tmpdir(), 'tollgate-platform-'));
  const multi = multiPlatform(join(work, 'layout'));
  const source = `oci:${multi.dir}:multi`;
  const digestOf = (platform: string): string | undefined => multi.manifests.find((m) => m.platform === platform)?.digest;
  const leftPad = (doc: SbomJson): string | undefined => doc.packages.find((p) => p.name === 'left-pad')?.version;

  it('catalogues the platform asked for (default the host), each from its own manifest, one data folder for both', async () => {
    const data = join(work, 'data');
    const arm = await tollgate(['--data-dir', data, 'sbom', source, '--format', 'json', '--platform', 'linux/arm64']);
    expect(arm.code, arm.stderr).toBe(0);
    const armDoc = JSON.parse(arm.stdout) as SbomJson;
    expect(armDoc.subject.digest).toBe(digestOf('linux/arm64/v8'));
    expect(leftPad(armDoc)).toBe('1.3.0');
    // the image cache holds the arm64 catalogue now: amd64 must not be answered from it
    const amd = await tollgate(['--data-dir', data, 'sbom', source, '--format', 'json', '--platform', 'linux/amd64']);
    expect(amd.code, amd.stderr).toBe(0);
    const amdDoc = JSON.parse(amd.stdout) as SbomJson;
    expect(amdDoc.subject.digest).toBe(digestOf('linux/amd64'));
    expect(leftPad(amdDoc)).toBe('1.0.0');
    // no --platform: the host's (this layout has amd64 and arm64; on any other host that is PLATFORM_NOT_FOUND)
    const hostPlatform = ({ x64: 'linux/amd64', arm64: 'linux/arm64/v8' } as Record<string, string | undefined>)[process.arch];
    const host = await tollgate(['--data-dir', data, 'sbom', source, '--format', 'json']);
    if (hostPlatform === undefined) expect(host.stderr).toContain('PLATFORM_NOT_FOUND');
    else expect((JSON.parse(host.stdout) as SbomJson).subject.digest).toBe(digestOf(hostPlatform));
    // the CycloneDX document names the chosen image's digest too
    const cdx = JSON.parse((await tollgate(['--data-dir', data, 'sbom', source, '--platform', 'linux/arm64/v8'])).stdout) as { metadata: { component: { version: string } } };
    expect(cdx.metadata.component.version).toBe(digestOf('linux/arm64/v8'));
  });

  it('scans the platform asked for: a flaw fixed in 1.3.0 is found on amd64 only', async () => {
    const feed = join(work, 'osv');
    mkdirSync(feed, { recursive: true });
    writeFileSync(
      join(feed, 'TEST-2026-0001.json'),
      JSON.stringify({
        id: 'TEST-2026-0001',
        modified: '2026-11-01T00:00:00Z',
        summary: 'test advisory',
        affected: [{ package: { ecosystem: 'npm', name: 'left-pad' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.3.0' }] }] }],
      }),
    );
    const db = join(work, 'vuln.db');
    expect((await tollgate(['db', 'import', '--db', db, feed])).code).toBe(0);
    const ids = async (platform: string): Promise<string[]> => {
      const run = await tollgate(['--data-dir', join(work, 'scan-data'), 'scan', source, '--db', db, '--format', 'json', '--platform', platform]);
      expect(run.code, run.stderr).toBe(0);
      const result = JSON.parse(run.stdout) as { subject: { digest?: string }; findings: { id: string }[]; hidden: { id: string }[] };
      expect(result.subject.digest).toBe(digestOf(platform === 'linux/arm64' ? 'linux/arm64/v8' : platform));
      return [...result.findings, ...result.hidden].map((f) => f.id);
    };
    expect(await ids('linux/amd64')).toEqual(['TEST-2026-0001']);
    expect(await ids('linux/arm64')).toEqual([]);
  });

  it('refuses a platform the image does not have, and a malformed one', async () => {
    const absent = await tollgate(['--data-dir', join(work, 'data'), 'sbom', source, '--platform', 'linux/s390x']);
    expect(absent.code).not.toBe(0);
    expect(absent.stderr).toContain('PLATFORM_NOT_FOUND');
    expect(absent.stderr).toContain('linux/arm64/v8');
    const malformed = await tollgate(['--data-dir', join(work, 'data'), 'sbom', source, '--platform', 'linux/arm64/v8/extra']);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('INPUT_INVALID');
  });
});
