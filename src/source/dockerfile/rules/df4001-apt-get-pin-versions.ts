import type { Rule, RuleHit } from '../rule.ts';
import { hadolint } from '../rule.ts';
import { aptSimulates, commandsOf, pmCall, positionals, runs } from '../facts.ts';

const WITH_VALUE = ['-o', '-t', '--target-release', '-c', '--config-file'];

export const df4001: Rule = {
  id: 'DF4001',
  slug: 'apt-get-pin-versions',
  defaultSeverity: 'info',
  summary: 'apt-get install without package versions (pkg=version) makes builds unreproducible.',
  peers: [hadolint('DL3008')],
  check({ ast }) {
    const hits: RuleHit[] = [];
    for (const ins of runs(ast)) {
      const loose: string[] = [];
      for (const cmd of commandsOf(ins)) {
        if (cmd.name !== 'apt-get') continue;
        const call = pmCall(cmd, WITH_VALUE);
        if (call?.sub !== 'install' || aptSimulates(cmd.args)) continue;
        for (const p of positionals(call.rest, WITH_VALUE)) {
          if (p.includes('=') || p.endsWith('.deb') || p.startsWith('/') || p.startsWith('.') || /^\$/.test(p)) continue;
          loose.push(p);
        }
      }
      if (loose.length > 0) hits.push({ range: ins.range, message: `apt-get install without pinned versions: ${loose.slice(0, 8).join(', ')}${loose.length > 8 ? ', …' : ''}.` });
    }
    return hits;
  },
};
