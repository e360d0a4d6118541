import type { Rule, RuleHit } from '../rule.ts';
import { commandsOf, positionals, runs } from '../facts.ts';

const TOOLING = /^(?:gcc|g\+\+|clang|make|cmake|build-essential|build-base|autoconf|automake|libtool|pkg-config|pkgconf|git|curl|wget|gcc-c\+\+|golang|go|rustc|cargo|maven|gradle|nodejs-dev|python3?-dev|[a-z0-9]+-devel?|linux-headers)(?:[=<>~].*)?$/;

function installs(name: string, args: readonly string[]): string[] {
  if (/^(apt-get|apt|aptitude)$/.test(name)) {
    const pos = positionals(args, ['-o', '-t', '--target-release']);
    return pos[0] === 'install' ? pos.slice(1) : [];
  }
  if (name === 'apk') {
    const pos = positionals(args, ['-X', '--repository', '-t', '--virtual', '--root', '-p']);
    return pos[0] === 'add' ? pos.slice(1) : [];
  }
  if (/^(yum|dnf|microdnf|tdnf|zypper)$/.test(name)) {
    const pos = positionals(args);
    return pos[0] === 'install' || pos[0] === 'in' ? pos.slice(1) : [];
  }
  return [];
}

function removes(name: string, args: readonly string[]): string[] {
  const pos = positionals(args);
  if (/^(apt-get|apt)$/.test(name) && (pos[0] === 'purge' || pos[0] === 'remove' || pos[0] === 'autoremove')) return pos.slice(1);
  if (name === 'apk' && pos[0] === 'del') return pos.slice(1);
  if (/^(yum|dnf|microdnf)$/.test(name) && (pos[0] === 'remove' || pos[0] === 'erase' || pos[0] === 'autoremove')) return pos.slice(1);
  return [];
}

export const df3003: Rule = {
  id: 'DF3003',
  slug: 'build-tooling-in-final-stage',
  defaultSeverity: 'info',
  summary: 'The final stage installs build tooling (compilers, make, git, curl/wget, -dev packages) and keeps it; build in an earlier stage and copy only the output.',
  peers: [],
  check({ ast }) {
    const final = ast.stages.length - 1;
    if (final < 0) return [];
    const kept = new Map<string, RuleHit['range']>();
    const removed = new Set<string>();
    const virtualInstalls = new Map<string, string[]>();
    for (const ins of runs(ast)) {
      if (ins.stage !== final || ins.onbuild) continue;
      const cmds = commandsOf(ins);
      // docker-library pattern: savedAptMark / apt-mark auto … apt-get purge --auto-remove removes build deps
      const autoRemoves = cmds.some((c) => (c.name === 'apt-mark' && c.args[0] === 'auto') || (/^apt(-get)?$/.test(c.name) && (c.args.includes('autoremove') || c.args.includes('--auto-remove'))));
      for (const cmd of cmds) {
        const virt = cmd.name === 'apk' ? cmd.args[cmd.args.findIndex((a) => a === '-t' || a === '--virtual') + 1] : undefined;
        for (const p of installs(cmd.name, cmd.args)) {
          const pkg = p.replace(/[=<>~].*$/, '');
          if (!TOOLING.test(pkg) || pkg === virt) continue;
          if (autoRemoves && /^apt(-get)?$|^aptitude$/.test(cmd.name)) continue;
          if (virt !== undefined && cmd.args.some((a) => a === '-t' || a === '--virtual')) {
            virtualInstalls.set(virt, [...(virtualInstalls.get(virt) ?? []), pkg]);
          }
          if (!kept.has(pkg)) kept.set(pkg, ins.range);
        }
        for (const p of removes(cmd.name, cmd.args)) {
          const name = p.replace(/[=<>~].*$/, '');
          removed.add(name);
          for (const v of virtualInstalls.get(name) ?? []) removed.add(v);
        }
      }
    }
    const left = [...kept.entries()].filter(([p]) => !removed.has(p));
    const first = left[0];
    if (!first) return [];
    return [{ range: first[1], message: `The final stage keeps build tooling (${left.map(([p]) => p).slice(0, 6).join(', ')}); use a multi-stage build and copy only the artifacts, or remove it in the same RUN.` }];
  },
};
