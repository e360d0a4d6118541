import type { Rule, RuleHit } from '../rule.ts';
import { hadolint } from '../rule.ts';
import { aptSimulates, commandsOf, hasFlag, pmCall, runs } from '../facts.ts';

function quietTwice(args: readonly string[]): boolean {
  let q = 0;
  for (const a of args) {
    if (a === '--quiet' || a === '-q') q++;
    else if (/^-q=?([0-9])$/.test(a)) q += Number(/([0-9])$/.exec(a)?.[1] ?? 0);
    else if (/^-[a-zA-Z]+$/.test(a)) q += [...a.slice(1)].filter((c) => c === 'q').length;
    else if (/^--quiet=([0-9])$/.test(a)) q += Number(a.slice(8));
  }
  return q >= 2;
}

export const df4004: Rule = {
  id: 'DF4004',
  slug: 'apt-get-yes',
  defaultSeverity: 'warning',
  summary: 'apt-get install without -y waits for confirmation and fails the build.',
  peers: [hadolint('DL3014')],
  check({ ast }) {
    const hits: RuleHit[] = [];
    for (const ins of runs(ast)) {
      const bad = commandsOf(ins).some((cmd) => cmd.name === 'apt-get' && pmCall(cmd, ['-o', '-t'])?.sub === 'install' && !aptSimulates(cmd.args) && !hasFlag(cmd.args, 'y', ['yes', 'assume-yes']) && !quietTwice(cmd.args) && !cmd.args.some((a) => /APT::Get::Assume-Yes=/i.test(a)));
      if (bad) hits.push({ range: ins.range, message: 'apt-get install without -y.' });
    }
    return hits;
  },
};
