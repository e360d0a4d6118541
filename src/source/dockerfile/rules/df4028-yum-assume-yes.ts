import type { Rule, RuleHit } from '../rule.ts';
import { hadolint } from '../rule.ts';
import { commandsOf, hasFlag, positionals, runs } from '../facts.ts';

function makeRule(id: string, slug: string, peer: string, managers: RegExp, label: string): Rule {
  return {
    id,
    slug,
    defaultSeverity: 'warning',
    summary: `${label} install without -y waits for confirmation and fails the build.`,
    peers: [hadolint(peer)],
    check({ ast }) {
      const hits: RuleHit[] = [];
      for (const ins of runs(ast)) {
        const bad = commandsOf(ins).some((c) => {
          if (!managers.test(c.name)) return false;
          const pos = positionals(c.args, ['--setopt', '--enablerepo', '--disablerepo']);
          const sub = pos[0] === 'module' || pos[0] === 'group' ? pos[1] : pos[0];
          if (!['install', 'in', 'groupinstall', 'localinstall', 'reinstall', 'update', 'upgrade', 'remove'].includes(sub ?? '')) return false;
          return !hasFlag(c.args, 'y', ['assumeyes', 'yes']);
        });
        if (bad) hits.push({ range: ins.range, message: `${label} install without -y.` });
      }
      return hits;
    },
  };
}

export const df4028: Rule = makeRule('DF4028', 'yum-assume-yes', 'DL3030', /^yum$/, 'yum');
