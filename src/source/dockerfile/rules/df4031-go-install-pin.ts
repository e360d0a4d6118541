import type { Rule, RuleHit } from '../rule.ts';
import { hadolint } from '../rule.ts';
import { commandsOf, runs } from '../facts.ts';

function remote(p: string): boolean {
  return !(p.startsWith('.') || p.startsWith('/') || p.startsWith('$') || p === 'all' || p === 'std' || p === 'cmd');
}

function unpinned(p: string): boolean {
  const at = p.lastIndexOf('@');
  return at < 0 || p.slice(at + 1) === 'latest' || p.slice(at + 1) === '';
}

export const df4031: Rule = {
  id: 'DF4031',
  slug: 'go-install-pin',
  defaultSeverity: 'warning',
  summary: 'go install/get/run of a remote module without @version (or with @latest).',
  peers: [hadolint('DL3062')],
  check({ ast }) {
    const hits: RuleHit[] = [];
    for (const ins of runs(ast)) {
      const loose: string[] = [];
      for (const c of commandsOf(ins)) {
        if (c.name !== 'go') continue;
        const sub = c.args[0];
        if (sub !== 'install' && sub !== 'get' && sub !== 'run') continue;
        const rest = c.args.slice(1);
        const pos: string[] = [];
        for (let k = 0; k < rest.length; k++) {
          const a = rest[k] ?? '';
          if (a.startsWith('-')) {
            if (['-o', '-C', '-modfile', '-tags', '-ldflags', '-gcflags', '-exec', '-p', '-pkgdir', '-mod'].includes(a)) k++;
            continue;
          }
          pos.push(a);
          if (sub === 'run') break; // the rest are the program's arguments
        }
        loose.push(...pos.filter((p) => remote(p) && !p.endsWith('.go') && unpinned(p)));
      }
      if (loose.length > 0) hits.push({ range: ins.range, message: `go module without a pinned version: ${loose.join(', ')}; use @vX.Y.Z.` });
    }
    return hits;
  },
};
