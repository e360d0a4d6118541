import type { Audit, Hit } from '../audit.ts';
import { field, jobs } from '../model.ts';
import type { Node } from '../model.ts';
import { scalar } from '../model.ts';

const ACTOR = String.raw`github(?:\.actor|\[\s*'actor'\s*\])`;
const ACTOR_ID = String.raw`github(?:\.actor_id|\[\s*'actor_id'\s*\])`;
const BOT_NAME = String.raw`'[^']*\[bot\]'`;
const NUMBER = String.raw`(?:'\d+'|\d+)`;
const PATTERNS = [
  new RegExp(`${ACTOR}\\s*==\\s*${BOT_NAME}`, 'i'),
  new RegExp(`${BOT_NAME}\\s*==\\s*${ACTOR}`, 'i'),
  new RegExp(`${ACTOR_ID}\\s*==\\s*${NUMBER}`, 'i'),
  new RegExp(`${NUMBER}\\s*==\\s*${ACTOR_ID}`, 'i'),
];

export const botConditions: Audit = {
  id: 'GH1014',
  slug: 'bot-conditions',
  defaultSeverity: 'error',
  summary: 'if: trusts github.actor to be a bot (spoofable: the actor is whoever last touched the PR)',
  zizmor: 'bot-conditions',
  appliesTo: ['workflow', 'action'],
  run(file) {
    const hits: Hit[] = [];
    const check = (node: Node | undefined): void => {
      const text = scalar(file, node);
      if (node === undefined || text === undefined) return;
      if (PATTERNS.some((re) => re.test(text))) hits.push({ node, message: 'condition trusts github.actor/actor_id; use github.event.pull_request.user.login or a check on the event instead' });
    };
    for (const job of jobs(file)) {
      check(field(file, job.node, 'if'));
      for (const step of job.steps) check(step.condition);
    }
    return hits;
  },
};
