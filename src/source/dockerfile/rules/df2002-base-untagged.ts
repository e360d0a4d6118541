import type { Rule, RuleHit } from '../rule.ts';
import { hadolint } from '../rule.ts';

export const df2002: Rule = {
  id: 'DF2002',
  slug: 'base-untagged',
  defaultSeverity: 'warning',
  summary: 'The base image has no tag (and no digest), so it silently means :latest.',
  peers: [hadolint('DL3006')],
  check({ ast }) {
    const hits: RuleHit[] = [];
    for (const s of ast.stages) {
      const f = s.from;
      if (f.scratch || f.stageRef !== undefined || f.unresolved || !f.ref) continue;
      if (f.ref.tag === undefined && f.ref.digest === undefined) {
        hits.push({ range: s.fromInstruction.range, message: `Base image ${f.image} has no tag; name a version explicitly (and pin the digest).` });
      }
    }
    return hits;
  },
};
