import type { Rule, RuleHit } from '../rule.ts';
import { hadolint } from '../rule.ts';
import { commandsOf, hasFlag, positionals, runs } from '../facts.ts';

export const df4029: Rule = {
  id: 'DF4029',
  slug: 'dnf-assume-yes',
  defaultSeverity: 'warning',
  summary: 'dnf install without -y waits for confirmation and fails the build.',
  peers: [hadolint('DL3038')],
  check({ ast }) {
    const hits: RuleHit[] = [];
    for (const ins of runs(ast)) {
      const bad = commandsOf(ins).some((c) => {
        if (c.name !== 'dnf' && c.name !== 'microdnf') return false;
        const pos = positionals(c.args, ['--setopt', '--enablerepo', '--disablerepo']);
        const sub = pos[0] === 'module' || pos[0] === 'group' ? pos[1] : pos[0];
        if (!['install', 'in', 'groupinstall', 'localinstall', 'reinstall'].includes(sub ?? '')) return false;
        return !hasFlag(c.args, 'y', ['assumeyes', 'yes']);
      });
      if (bad) hits.push({ range: ins.range, message: 'dnf install without -y.' });
    }
    return hits;
  },
};
