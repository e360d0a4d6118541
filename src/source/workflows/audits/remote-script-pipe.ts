import type { Audit, Hit } from '../audit.ts';
import { jobs, rangeOf } from '../model.ts';
import { findRemoteScriptExecution } from '../shell.ts';

export const remoteScriptPipe: Audit = {
  id: 'GH1007',
  slug: 'remote-script-piped-to-shell',
  defaultSeverity: 'error',
  summary: 'run: executes a script downloaded at build time (curl … | sh) without verifying it',
  zizmor: undefined,
  appliesTo: ['workflow', 'action'],
  run(file) {
    const hits: Hit[] = [];
    for (const job of jobs(file)) {
      for (const step of job.steps) {
        if (step.run === undefined) continue;
        const why = findRemoteScriptExecution(step.run.value);
        if (why !== undefined) hits.push({ range: rangeOf(file, step.run.node), message: `${why}; download to a file, verify its checksum or signature, then run it` });
      }
    }
    return hits;
  },
};
