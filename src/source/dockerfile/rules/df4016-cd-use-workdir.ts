import type { Rule, RuleHit } from '../rule.ts';
import { hadolint } from '../rule.ts';
import { runs } from '../facts.ts';

export const df4016: Rule = {
  id: 'DF4016',
  slug: 'cd-use-workdir',
  defaultSeverity: 'info',
  summary: 'A RUN starts with `cd`; WORKDIR states the working directory explicitly for the following instructions.',
  peers: [hadolint('DL3003')],
  check({ ast }) {
    const hits: RuleHit[] = [];
    for (const ins of runs(ast)) {
      // hadolint flags every `cd`; we flag only a top-level `cd` whose effect a WORKDIR could express,
      // i.e. the first command of the RUN (a `cd` into a just-unpacked source tree mid-script is idiomatic).
      const first = ins.shell?.commands[0];
      if (first?.name === 'cd' && first.args.length > 0 && !first.args[0]?.includes('$')) hits.push({ range: ins.range, message: `Use WORKDIR ${first.args[0] ?? ''} instead of \`cd\`.` });
    }
    return hits;
  },
};
