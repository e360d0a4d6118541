/**
 * Layers written by `umoci insert` end right after the last entry's data: no padding to 512 bytes
 * and no end-of-archive zero blocks (GNU tar lists them, then reports an unexpected EOF). A real
 * layout built with umoci init/new/insert must read, with the inserted files' bytes intact.
 */
import { createHash, randomBytes } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { peersAvailable } from '../testing/peers.ts';
import { readImage } from './read-image.ts';

const sha = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'tollgate-umoci-insert-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** The uncompressed layer tars of the layout's one image, in order. */
function layerTars(layout: string): Buffer[] {
  const blob = (digest: string): Buffer => readFileSync(join(layout, 'blobs', ...digest.split(':')));
  const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8')) as { manifests: Array<{ digest: string }> };
  const manifest = JSON.parse(blob(index.manifests[0]?.digest ?? '').toString('utf8')) as { layers: Array<{ digest: string }> };
  return manifest.layers.map((layer) => gunzipSync(blob(layer.digest)));
}

describe.skipIf(!peersAvailable('umoci', 'tar'))('layers written by umoci insert', () => {
  it('reads tars without end-of-archive blocks, as GNU tar lists them', async () => {
    const layout = join(work, 'layout');
    execFileSync('umoci', ['init', '--layout', layout]);
    execFileSync('umoci', ['new', '--image', `${layout}:v1`]);
    // 700 bytes: the layer ends right after the data (no padding); 1024: it ends at a block boundary.
    const files = { '/opt/odd': randomBytes(700), '/opt/even': randomBytes(1024) };
    for (const [path, bytes] of Object.entries(files)) {
      const local = join(work, path.replaceAll('/', '_'));
      await writeFile(local, bytes);
      execFileSync('umoci', ['insert', '--rootless', '--image', `${layout}:v1`, local, path], { stdio: 'ignore' });
    }

    // The peer's own output really lacks the end-of-archive blocks, and GNU tar still lists it.
    const tars = layerTars(layout);
    expect(tars.map((tar) => tar.length)).toEqual([512 + 700, 512 + 1024]);
    for (const [i, tar] of tars.entries()) {
      const layer = join(work, `layer-${String(i)}.tar`);
      await writeFile(layer, tar);
      const listed = spawnSync('tar', ['-tf', layer], { encoding: 'utf8' });
      expect(listed.stdout.trim()).toBe(i === 0 ? 'opt/odd' : 'opt/even');
    }

    const result = await readImage(`oci:${layout}:v1`);
    const byPath = new Map(result.index.map((entry) => [entry.path, entry]));
    for (const [path, bytes] of Object.entries(files)) {
      expect(byPath.get(path)).toMatchObject({ type: 'file', size: bytes.length, sha256: sha(bytes) });
    }
    // The diff ids umoci recorded are of the unpadded tars: verified while reading.
    expect(result.layers).toHaveLength(2);
  });
});
