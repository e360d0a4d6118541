import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../core/logger.ts';
import { inlineTree } from '../../_shared/test-tree.ts';
import { CATALOGUERS } from '../../registry.ts';
import { runCatalog } from '../../run.ts';

const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]), Buffer.alloc(57)]);

describe('elf-unowned cataloguer', () => {
  it('reports ELF executables no package owns, and neither owned ones nor scripts', async () => {
    const tree = inlineTree({
      '/var/lib/dpkg/status': 'Package: coreutils\nStatus: install ok installed\nVersion: 9.1-1\nArchitecture: amd64\n',
      '/var/lib/dpkg/info/coreutils.list': '/.\n/usr\n/usr/bin\n/usr/bin/ls\n',
      '/usr/bin/ls': { content: ELF, mode: 0o755 },
      '/usr/local/bin/registry': { content: ELF, mode: 0o755 },
      '/usr/local/bin/run.sh': { content: '#!/bin/sh\n', mode: 0o755 },
      '/var/lib/dpkg/info/coreutils.postinst': { content: ELF, mode: 0o755 },
    });
    const catalog = await runCatalog({ cataloguers: CATALOGUERS, tree, log: silentLogger });
    const binaries = catalog.packages.filter((p) => p.ecosystem === 'binary');

    expect(binaries.map((p) => p.locations[0]?.path)).toEqual(['/usr/local/bin/registry']);
    expect(binaries[0]).toMatchObject({ name: 'registry', foundBy: 'elf-unowned', purl: 'pkg:generic/registry' });
  });
});
