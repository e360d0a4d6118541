import type { Rule, RuleHit } from '../rule.ts';
import { hadolint } from '../rule.ts';

export const df4027: Rule = {
  id: 'DF4027',
  slug: 'expose-port-range',
  defaultSeverity: 'error',
  summary: 'EXPOSE with a port outside 0–65535.',
  peers: [hadolint('DL3011')],
  check({ ast }) {
    const hits: RuleHit[] = [];
    for (const ins of ast.flat) {
      if (ins.keyword !== 'EXPOSE') continue;
      for (const w of ins.words) {
        const spec = w.value.replace(/\/(tcp|udp|sctp)$/i, '');
        for (const part of spec.split('-')) {
          if (/^[0-9]+$/.test(part) && Number(part) > 65535) {
            hits.push({ range: w.range, message: `EXPOSE ${w.value}: ${part} is not a valid port (0–65535).` });
            break;
          }
        }
      }
    }
    return hits;
  },
};
