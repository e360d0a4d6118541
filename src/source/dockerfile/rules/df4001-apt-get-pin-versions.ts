import type { Rule } from '../rule.ts';
import { hadolint } from '../rule.ts';
import { aptSimulates, pmCall, positionals } from '../facts.ts';
import { unpinnedInstallHits } from '../pinning.ts';

const WITH_VALUE = ['-o', '-t', '--target-release', '-c', '--config-file'];

export const df4001: Rule = {
  id: 'DF4001',
  slug: 'apt-get-pin-versions',
  defaultSeverity: 'info',
  summary: 'apt-get install without package versions (pkg=version) makes builds unreproducible.',
  peers: [hadolint('DL3008')],
  check({ ast }) {
    return unpinnedInstallHits(
      ast,
      'apt-get install',
      (cmd) => {
        if (cmd.name !== 'apt-get') return [];
        const call = pmCall(cmd, WITH_VALUE);
        if (call?.sub !== 'install' || aptSimulates(cmd.args)) return [];
        return positionals(call.rest, WITH_VALUE).filter(
          (p) => !(p.includes('=') || p.endsWith('.deb') || p.startsWith('/') || p.startsWith('.') || /^\$/.test(p)),
        );
      },
      { max: 8, ellipsis: true },
    );
  },
};
