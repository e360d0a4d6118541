import type { Audit, Hit } from '../audit.ts';
import { field, rangeOf, triggerNode, triggers } from '../model.ts';

const DANGEROUS = new Set(['pull_request_target', 'workflow_run']);

export const dangerousTriggers: Audit = {
  id: 'GH1002',
  slug: 'dangerous-triggers',
  defaultSeverity: 'error',
  summary: 'Workflow runs on pull_request_target or workflow_run (privileged context reachable from forks)',
  zizmor: 'dangerous-triggers',
  appliesTo: ['workflow'],
  run(file) {
    const found = triggers(file).filter((t) => DANGEROUS.has(t));
    if (found.length === 0) return [];
    const key = triggerNode(file);
    const value = field(file, file.doc.contents, 'on');
    // The finding spans the whole `on:` block so an inline ignore on the trigger's own line applies.
    const head = rangeOf(file, key);
    const tail = value === undefined ? head : rangeOf(file, value);
    const range = { startLine: head.startLine, startCol: head.startCol, endLine: tail.endLine, endCol: tail.endCol };
    const hits: Hit[] = found.map((name) => ({
      range,
      message:
        name === 'pull_request_target'
          ? 'pull_request_target runs with a write token and secrets on events from forks; almost always used insecurely'
          : 'workflow_run runs privileged after an untrusted workflow; almost always used insecurely',
    }));
    return hits;
  },
};
