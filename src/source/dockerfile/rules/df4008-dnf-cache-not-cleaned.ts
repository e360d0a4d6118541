import type { Rule, RuleHit } from '../rule.ts';
import { hadolint } from '../rule.ts';
import { commandsOf, mountTargets, pmCall, runs } from '../facts.ts';
import type { ShellCommand } from '../parse/shell.ts';

const INSTALL = new Set(['install', 'in', 'reinstall', 'rei', 'upgrade-minimal', 'up-min', 'groupinstall', 'localinstall', 'update', 'upgrade', 'up']);

function cleans(manager: string, c: ShellCommand): boolean {
  if (c.name === manager && c.args[0] === 'clean' && c.args[1] === 'all') return true;
  return c.name === 'rm' && c.args.some((a) => /^\/var\/cache\/(?:yum|dnf|libdnf5)/.test(a));
}

function makeRule(id: string, slug: string, peer: string, managers: RegExp, label: string, mounts: readonly string[]): Rule {
  return {
    id,
    slug,
    defaultSeverity: 'info',
    summary: `${label} install without \`${label} clean all\` afterwards in the same RUN leaves the package cache in the layer.`,
    peers: [hadolint(peer)],
    check({ ast }) {
      const hits: RuleHit[] = [];
      for (const ins of runs(ast)) {
        if (mountTargets(ins).some((t) => mounts.includes(t))) continue;
        const cmds = commandsOf(ins);
        for (let k = 0; k < cmds.length; k++) {
          const c = cmds[k];
          if (!c || !managers.test(c.name)) continue;
          const call = pmCall(c);
          const sub = call?.sub === 'module' || call?.sub === 'group' ? 'install' : call?.sub;
          if (!sub || !INSTALL.has(sub)) continue;
          if (!cmds.slice(k + 1).some((x) => cleans(c.name, x))) {
            hits.push({ range: ins.range, message: `${c.name} ${call?.sub ?? ''} without \`${label} clean all\` (or rm -rf /var/cache/…) afterwards in the same RUN.` });
            break;
          }
        }
      }
      return hits;
    },
  };
}

export const df4008: Rule = makeRule('DF4008', 'dnf-cache-not-cleaned', 'DL3040', /^(dnf|microdnf)$/, 'dnf', ['/var/cache/libdnf5', '/var/cache/dnf']);
