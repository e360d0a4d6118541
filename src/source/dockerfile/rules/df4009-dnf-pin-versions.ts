import type { Rule } from '../rule.ts';
import { hadolint } from '../rule.ts';
import { positionals } from '../facts.ts';
import { rpmUnpinned, unpinnedInstallHits } from '../pinning.ts';

const WITH_VALUE = ['--setopt', '--enablerepo', '--disablerepo', '--repo', '--releasever', '--installroot', '-x', '--exclude', '--config', '-c'];

function makeRule(id: string, slug: string, peer: string, managers: RegExp, label: string): Rule {
  return {
    id,
    slug,
    defaultSeverity: 'info',
    summary: `${label} install without package versions (name-version) makes builds unreproducible.`,
    peers: [hadolint(peer)],
    check({ ast }) {
      return unpinnedInstallHits(
        ast,
        `${label} install`,
        (cmd) => (managers.test(cmd.name) ? rpmUnpinned(positionals(cmd.args, WITH_VALUE), ['install', 'in']) : []),
        { max: 8, ellipsis: true },
      );
    },
  };
}

export const df4009: Rule = makeRule('DF4009', 'dnf-pin-versions', 'DL3041', /^(dnf|microdnf)$/, 'dnf');
