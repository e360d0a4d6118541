import type { Rule, RuleHit } from '../rule.ts';
import { hadolint } from '../rule.ts';
import { rawCommandsOf } from '../facts.ts';

const PIPEFAIL_SHELLS = /^(?:bash|zsh|ash|ksh|mksh)$/;
const NON_POSIX = /^(?:pwsh|powershell|powershell\.exe|cmd|cmd\.exe)$/i;

function shellState(argv: readonly string[]): 'pipefail' | 'non-posix' | 'plain' {
  const exe = (argv[0] ?? '').split(/[\\/]/).pop() ?? '';
  if (NON_POSIX.test(exe)) return 'non-posix';
  if (!PIPEFAIL_SHELLS.test(exe)) return 'plain';
  for (let k = 1; k < argv.length; k++) {
    if (/^-[a-z]*o$/.test(argv[k] ?? '') && argv[k + 1] === 'pipefail') return 'pipefail';
  }
  return 'plain';
}

export const df4025: Rule = {
  id: 'DF4025',
  slug: 'pipefail',
  defaultSeverity: 'warning',
  summary: 'A RUN with a pipe but no `set -o pipefail` (SHELL ["/bin/bash", "-o", "pipefail", "-c"]): a failing download still yields a successful step.',
  peers: [hadolint('DL4006')],
  check({ ast }) {
    const hits: RuleHit[] = [];
    let state: 'pipefail' | 'non-posix' | 'plain' = 'plain';
    let stage = -2;
    for (const ins of ast.flat) {
      if (ins.stage !== stage) {
        stage = ins.stage;
        state = 'plain';
      }
      if (ins.keyword === 'SHELL' && !ins.onbuild) {
        state = shellState(ins.json ?? []);
        continue;
      }
      if (ins.keyword !== 'RUN' || ins.json || !ins.shell || state !== 'plain') continue;
      if (ins.shell.pipelines.length === 0) continue;
      const setsIt = rawCommandsOf(ins).some((c) => c.name === 'set' && c.args.some((a, k) => /^-[a-z]*o$/.test(a) && c.args[k + 1] === 'pipefail'));
      if (!setsIt) hits.push({ range: ins.range, message: 'RUN uses a pipe without pipefail; set SHELL ["/bin/bash", "-o", "pipefail", "-c"] first.' });
    }
    return hits;
  },
};
