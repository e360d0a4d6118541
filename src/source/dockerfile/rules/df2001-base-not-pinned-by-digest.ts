import type { Rule, RuleHit } from '../rule.ts';

export const df2001: Rule = {
  id: 'DF2001',
  slug: 'base-not-pinned-by-digest',
  defaultSeverity: 'warning',
  summary: 'The base image is referenced by tag, not by digest: a registry (or an attacker in it) can change what the tag points to.',
  peers: [],
  check({ ast }) {
    const hits: RuleHit[] = [];
    for (const s of ast.stages) {
      const f = s.from;
      if (f.scratch || f.stageRef !== undefined || f.unresolved || !f.ref || f.ref.digest) continue;
      hits.push({ range: s.fromInstruction.range, message: `Base image ${f.image} is not pinned by digest; use ${f.image}@sha256:… (keep the tag for readability).` });
    }
    return hits;
  },
};
