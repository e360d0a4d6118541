import type { Rule, RuleHit } from '../rule.ts';
import { hadolint } from '../rule.ts';

export const df2003: Rule = {
  id: 'DF2003',
  slug: 'base-latest',
  defaultSeverity: 'warning',
  summary: 'The base image uses the :latest tag without a digest.',
  peers: [hadolint('DL3007')],
  check({ ast }) {
    const hits: RuleHit[] = [];
    for (const s of ast.stages) {
      const f = s.from;
      if (f.scratch || f.stageRef !== undefined || !f.ref) continue;
      if (f.ref.tag === 'latest' && f.ref.digest === undefined) {
        hits.push({ range: s.fromInstruction.range, message: `Base image ${f.image} uses :latest; pin a release tag and digest.` });
      }
    }
    return hits;
  },
};
