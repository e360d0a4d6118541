import { stageChain } from '../facts.ts';
import type { Rule } from '../rule.ts';

export const df3002: Rule = {
  id: 'DF3002',
  slug: 'no-user-in-final-stage',
  defaultSeverity: 'info',
  summary: 'The final stage never sets USER, so the container runs as the base image\'s user, usually root.',
  peers: [],
  check({ ast }) {
    const last = ast.stages[ast.stages.length - 1];
    if (!last || last.from.scratch) return [];
    // a stage built FROM another stage of this file inherits that stage's USER
    if (stageChain(ast, last.index).some((stage) => stage.instructions.some((i) => i.keyword === 'USER'))) return [];
    return [{ range: last.fromInstruction.range, message: 'The final stage sets no USER; the container will run as the base image\'s default user (usually root). Add USER <non-root uid>.' }];
  },
};
