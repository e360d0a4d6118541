import type { Audit, Hit } from '../audit.ts';
import { gitlabJobs, gitlabScripts, rangeWithin } from '../model.ts';
import { findRemoteScriptExecution } from '../shell.ts';

/**
 * GitLab interpolates `$[[ inputs.x ]]` textually before the shell runs (like GitHub's `${{ }}`),
 * so a component input reaches `script:` as code. Attacker-chosen predefined variables
 * (merge-request title/description, commit message, branch name) are safe when expanded by the
 * shell and quoted, but not when handed to eval.
 */
const ATTACKER_VARS = /\$\{?(CI_MERGE_REQUEST_TITLE|CI_MERGE_REQUEST_DESCRIPTION|CI_COMMIT_MESSAGE|CI_COMMIT_TITLE|CI_COMMIT_DESCRIPTION|CI_COMMIT_BRANCH|CI_COMMIT_REF_NAME|CI_MERGE_REQUEST_SOURCE_BRANCH_NAME|CI_COMMIT_AUTHOR|CI_COMMIT_TAG_MESSAGE)\b/;

export const gitlabScriptRisks: Audit = {
  id: 'GL1003',
  slug: 'gitlab-script-injection',
  defaultSeverity: 'error',
  summary: 'GitLab script: interpolates $[[ inputs ]] textually, evals attacker-chosen variables, or pipes a download into a shell',
  zizmor: undefined,
  appliesTo: ['gitlab'],
  run(file) {
    const hits: Hit[] = [];
    const owners = [{ node: file.doc.contents ?? undefined }, ...gitlabJobs(file)];
    for (const owner of owners) {
      for (const { node, text } of gitlabScripts(file, owner.node)) {
        for (const m of text.matchAll(/\$\[\[\s*inputs\.[\w-]+[^\]]*\]\]/g)) {
          hits.push({ range: rangeWithin(file, node, m[0]), message: `${m[0]} is pasted into the script as code; pass it through variables: and quote it` });
        }
        if (/\beval\b/.test(text) && ATTACKER_VARS.test(text)) {
          hits.push({ node, message: 'eval of a variable an outsider chooses (merge-request title, commit message, branch name)' });
        }
        const remote = findRemoteScriptExecution(text);
        if (remote !== undefined) hits.push({ node, message: `${remote}; download to a file, verify its checksum or signature, then run it`, severity: 'error' });
      }
    }
    return hits;
  },
};
