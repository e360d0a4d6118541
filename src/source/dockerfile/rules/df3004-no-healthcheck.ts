import type { Rule } from '../rule.ts';
import { hadolint } from '../rule.ts';

export const df3004: Rule = {
  id: 'DF3004',
  slug: 'no-healthcheck',
  defaultSeverity: 'info',
  summary: 'The image defines no HEALTHCHECK (in the final stage or the stages it builds on).',
  peers: [hadolint('DL3057')],
  check({ ast }) {
    const last = ast.stages[ast.stages.length - 1];
    if (!last) return [];
    let s: typeof last | undefined = last;
    const seen = new Set<number>();
    while (s && !seen.has(s.index)) {
      seen.add(s.index);
      if (s.instructions.some((i) => i.keyword === 'HEALTHCHECK')) return [];
      s = s.from.stageRef !== undefined ? ast.stages[s.from.stageRef] : undefined;
    }
    return [{ range: last.fromInstruction.range, message: 'No HEALTHCHECK: orchestrators cannot tell a hung container from a healthy one (ignore this for images run only under Kubernetes probes).' }];
  },
};
