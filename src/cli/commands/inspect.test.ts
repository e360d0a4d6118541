import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { craftTar, gzip } from '../../testing/tar-craft.ts';
import { writeOciLayout } from '../../testing/oci-craft.ts';

const MAIN = new URL('../main.ts', import.meta.url).pathname;
let work: string;
let good: string;
let evil: string;

function tollgate(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [MAIN, '--data-dir', join(work, 'data'), ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'tollgate-inspect-cli-'));
  const tar = craftTar([{ name: 'bin/', type: '5' }, { name: 'bin/app', body: 'app', mode: 0o755, uid: 10, gid: 20 }, { name: 'bin/sh', type: '2', linkname: 'app' }]);
  const layout = writeOciLayout(join(work, 'good'), {
    layers: [gzip(tar)],
    tars: [tar],
    tag: 'v1',
    containerConfig: {
      User: 'app',
      Entrypoint: ['/bin/app'],
      Cmd: ['--serve'],
      Labels: { 'org.opencontainers.image.title': 'demo' },
      Healthcheck: { Test: ['CMD', '/bin/app', '--health'], Interval: 30_000_000_000 },
    },
  });
  good = `oci:${layout.dir}:v1`;
  const bad = craftTar([{ name: '../../escape', body: 'x' }]);
  evil = `oci:${writeOciLayout(join(work, 'evil'), { layers: [gzip(bad)], tars: [bad], tag: 'v1' }).dir}:v1`;
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('tollgate inspect', () => {
  it('prints digest, config, layers and file count as a table', () => {
    const run = tollgate(['inspect', good]);
    expect(run.status).toBe(0);
    for (const text of ['digest', 'sha256:', 'linux/amd64', 'user         app', '["/bin/app"]', '["--serve"]', 'org.opencontainers.image.title=demo', 'interval=30s', 'files        4']) {
      expect(run.stdout).toContain(text);
    }
  });

  it('prints the file index as JSON to a file', async () => {
    const out = join(work, 'out.json');
    const run = tollgate(['inspect', good, '--files', '--format', 'json', '-o', out]);
    expect(run.status).toBe(0);
    const doc = JSON.parse(await readFile(out, 'utf8')) as { files: { path: string; uid: number; gid: number; type: string; linkTarget?: string; sha256?: string }[]; fileIndexPath: string; layers: { files: number }[] };
    expect(doc.files.map((f) => f.path)).toEqual(['/', '/bin', '/bin/app', '/bin/sh']);
    expect(doc.files[2]).toMatchObject({ uid: 10, gid: 20, type: 'file' });
    expect(doc.files[3]).toMatchObject({ type: 'symlink', linkTarget: 'app' });
    expect(doc.fileIndexPath.startsWith(join(work, 'data', 'file-index', 'sha256'))).toBe(true);
    expect(doc.layers[0]?.files).toBe(4);
  });

  it('refuses a hostile image with its code and exit status 2', () => {
    const run = tollgate(['inspect', evil]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('ARCHIVE_PATH_TRAVERSAL');
    expect(tollgate(['inspect', 'oci:/nonexistent/layout']).status).toBe(3);
    expect(tollgate(['inspect', '--help']).stdout).toContain('--platform');
  });
});
