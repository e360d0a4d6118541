import type { Rule } from '../rule.ts';
import { hadolint } from '../rule.ts';
import { pmCall, positionals } from '../facts.ts';
import { unpinnedInstallHits } from '../pinning.ts';

const WITH_VALUE = ['-X', '--repository', '-t', '--virtual', '--root', '-p', '--repositories-file', '--arch', '--cache-dir', '--keys-dir'];

export const df4006: Rule = {
  id: 'DF4006',
  slug: 'apk-pin-versions',
  defaultSeverity: 'info',
  summary: 'apk add without package versions (pkg=version or pkg~version) makes builds unreproducible.',
  peers: [hadolint('DL3018')],
  check({ ast }) {
    return unpinnedInstallHits(
      ast,
      'apk add',
      (cmd) => {
        if (cmd.name !== 'apk') return [];
        const call = pmCall(cmd, WITH_VALUE);
        if (call?.sub !== 'add') return [];
        return positionals(call.rest, WITH_VALUE).filter(
          (p) => !(/[=~<>]/.test(p) || p.endsWith('.apk') || p.startsWith('$') || p.startsWith('.')),
        );
      },
      { max: 8, ellipsis: true },
    );
  },
};
