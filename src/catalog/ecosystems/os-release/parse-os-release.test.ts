import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../core/logger.ts';
import { inlineTree } from '../../_shared/test-tree.ts';
import { runCatalog } from '../../run.ts';
import { osRelease } from './index.ts';
import { parseDebianVersion, parseOsRelease, parseRedhatRelease } from './parse-os-release.ts';

describe('os-release', () => {
  it('parses quoted values and ID_LIKE', () => {
    expect(parseOsRelease('# c\nID=ubuntu\nVERSION_ID="22.04"\nID_LIKE=debian\nPRETTY_NAME="Ubuntu 22.04.4 LTS"\n')).toEqual({
      id: 'ubuntu',
      versionId: '22.04',
      prettyName: 'Ubuntu 22.04.4 LTS',
      idLike: ['debian'],
    });
    expect(parseOsRelease('NAME=x\n')).toBeUndefined();
  });

  it('falls back to distro files', () => {
    expect(parseDebianVersion('12.5\n')).toMatchObject({ id: 'debian', versionId: '12' });
    expect(parseRedhatRelease('CentOS Linux release 7.9.2009 (Core)')).toMatchObject({ id: 'centos', versionId: '7' });
  });

  it('prefers /etc/os-release and records an unusable one before falling back', async () => {
    const tree = inlineTree({ '/etc/os-release': 'NAME=broken\n', '/etc/alpine-release': '3.19.1\n' });
    const catalog = await runCatalog({ cataloguers: [osRelease], tree, log: silentLogger });

    expect(catalog.distro).toMatchObject({ id: 'alpine', versionId: '3.19.1' });
    expect(catalog.unknowns).toHaveLength(1);
  });
});
