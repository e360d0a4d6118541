import type { Rule, RuleHit } from '../rule.ts';
import { hadolint } from '../rule.ts';
import { commandsOf, pmCall, positionals, runs } from '../facts.ts';

const WITH_VALUE = ['-X', '--repository', '-t', '--virtual', '--root', '-p', '--repositories-file', '--arch', '--cache-dir', '--keys-dir'];

export const df4006: Rule = {
  id: 'DF4006',
  slug: 'apk-pin-versions',
  defaultSeverity: 'info',
  summary: 'apk add without package versions (pkg=version or pkg~version) makes builds unreproducible.',
  peers: [hadolint('DL3018')],
  check({ ast }) {
    const hits: RuleHit[] = [];
    for (const ins of runs(ast)) {
      const loose: string[] = [];
      for (const cmd of commandsOf(ins)) {
        if (cmd.name !== 'apk') continue;
        const call = pmCall(cmd, WITH_VALUE);
        if (call?.sub !== 'add') continue;
        for (const p of positionals(call.rest, WITH_VALUE)) {
          if (/[=~<>]/.test(p) || p.endsWith('.apk') || p.startsWith('$') || p.startsWith('.')) continue;
          loose.push(p);
        }
      }
      if (loose.length > 0) hits.push({ range: ins.range, message: `apk add without pinned versions: ${loose.slice(0, 8).join(', ')}${loose.length > 8 ? ', …' : ''}.` });
    }
    return hits;
  },
};
