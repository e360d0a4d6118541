import { stageChain } from '../facts.ts';
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
    // a stage built FROM another stage of this file inherits that stage's HEALTHCHECK
    if (stageChain(ast, last.index).some((stage) => stage.instructions.some((i) => i.keyword === 'HEALTHCHECK'))) return [];
    return [{ range: last.fromInstruction.range, message: 'No HEALTHCHECK: orchestrators cannot tell a hung container from a healthy one (ignore this for images run only under Kubernetes probes).' }];
  },
};
