import type { Rule } from '../rule.ts';
import { hadolint } from '../rule.ts';
import { positionals } from '../facts.ts';
import { rpmUnpinned, unpinnedInstallHits } from '../pinning.ts';

const WITH_VALUE = ['--setopt', '--enablerepo', '--disablerepo', '--releasever', '--installroot', '-x', '--exclude', '-c', '--config'];

export const df4011: Rule = {
  id: 'DF4011',
  slug: 'yum-pin-versions',
  defaultSeverity: 'info',
  summary: 'yum install without package versions (name-version) makes builds unreproducible.',
  peers: [hadolint('DL3033')],
  check({ ast }) {
    return unpinnedInstallHits(
      ast,
      'yum install',
      (cmd) => (cmd.name === 'yum' ? rpmUnpinned(positionals(cmd.args, WITH_VALUE), ['install']) : []),
      { max: 8, ellipsis: true },
    );
  },
};
