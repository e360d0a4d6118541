import type { Rule, RuleHit } from '../rule.ts';
import { hadolint } from '../rule.ts';
import { commandsOf, positionals, runs } from '../facts.ts';

const WITH_VALUE = ['--setopt', '--enablerepo', '--disablerepo', '--repo', '--releasever', '--installroot', '-x', '--exclude', '--config', '-c'];

function makeRule(id: string, slug: string, peer: string, managers: RegExp, label: string): Rule {
  return {
    id,
    slug,
    defaultSeverity: 'info',
    summary: `${label} install without package versions (name-version) makes builds unreproducible.`,
    peers: [hadolint(peer)],
    check({ ast }) {
      const hits: RuleHit[] = [];
      for (const ins of runs(ast)) {
        const loose: string[] = [];
        for (const cmd of commandsOf(ins)) {
          if (!managers.test(cmd.name)) continue;
          const pos = positionals(cmd.args, WITH_VALUE);
          if (pos[0] === 'module' && pos[1] === 'install') {
            loose.push(...pos.slice(2).filter((p) => !p.includes(':') && !p.startsWith('$')));
            continue;
          }
          if (pos[0] !== 'install' && pos[0] !== 'in') continue;
          for (const p of pos.slice(1)) {
            if (/-[0-9]/.test(p) || /:[0-9]/.test(p) || p.endsWith('.rpm') || p.startsWith('$') || p.startsWith('/') || p.startsWith('@') || /^https?:/.test(p)) continue;
            loose.push(p);
          }
        }
        if (loose.length > 0) hits.push({ range: ins.range, message: `${label} install without pinned versions: ${loose.slice(0, 8).join(', ')}${loose.length > 8 ? ', …' : ''}.` });
      }
      return hits;
    },
  };
}

export const df4009: Rule = makeRule('DF4009', 'dnf-pin-versions', 'DL3041', /^(dnf|microdnf)$/, 'dnf');
