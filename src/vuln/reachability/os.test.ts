import { beforeAll, describe, expect, it } from 'vitest';
import type { FileTree } from '../../image/index.ts';
import { readImage } from '../../image/index.ts';
import { labRootfs } from '../../testing/lab.ts';
import { reachableFiles, shellCommands } from './os.ts';

let tree: FileTree;

beforeAll(async () => {
  const { rootfs } = await labRootfs('debian-vuln');
  ({ tree } = await readImage(`dir:${rootfs}`, { want: (e) => e.path.startsWith('/etc/ld.so.conf') }));
}, 600_000);

describe('shellCommands', () => {
  it('finds commands at command positions; expansion there is undecidable', () => {
    expect(shellCommands('FOO=1 exec curl -s x && echo ok; cat /etc/x | grep y')).toEqual(['curl', 'echo', 'cat', 'grep']);
    expect(shellCommands('$CMD --flag')).toBeUndefined();
  });
});

describe('reachableFiles on the debian-vuln lab rootfs', () => {
  it('follows /bin/sh → dash (symlinks) → PT_INTERP and DT_NEEDED libc', async () => {
    const r = await reachableFiles(tree, { entrypoint: ['/bin/sh', '-c'], cmd: ['openssl version'] });
    expect(r.status).toBe('resolved');
    const files = [...r.files.keys()];
    // dpkg -x without usrmerge: /bin is a real folder here.
    expect(files.some((f) => /^(\/usr)?\/bin\/dash$/.test(f))).toBe(true);
    expect(files.some((f) => /^(\/usr)?\/bin\/openssl$/.test(f))).toBe(true);
    expect(files.some((f) => /libssl\.so\.3$/.test(f))).toBe(true);
    expect(files.some((f) => /ld-linux-x86-64\.so\.2$/.test(f))).toBe(true);
    expect(files.some((f) => /libcurl/.test(f))).toBe(false);
  });

  it('is unknown when the entry point or a command cannot be resolved, or there is none', async () => {
    expect((await reachableFiles(tree, { entrypoint: ['/nope'] })).status).toBe('unknown');
    expect((await reachableFiles(tree, { entrypoint: ['/bin/sh', '-c', 'not-a-command-here'] })).status).toBe('unknown');
    expect((await reachableFiles(tree, { entrypoint: ['/bin/sh', '-c', '$X'] })).status).toBe('unknown');
    expect((await reachableFiles(tree, {})).status).toBe('unknown');
  });
});
