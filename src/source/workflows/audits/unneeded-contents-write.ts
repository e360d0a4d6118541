import type { Audit, Hit } from '../audit.ts';
import { actionName, entries, field, jobs, scalar } from '../model.ts';

/** Steps that plausibly need contents: write (push commits/tags, create releases, publish pages). */
const WRITERS = /^(softprops\/action-gh-release|ncipollo\/release-action|actions\/create-release|goreleaser\/goreleaser-action|peter-evans\/create-pull-request|stefanzweifel\/git-auto-commit-action|ad-m\/github-push-action|changesets\/action|release-drafter\/release-drafter|googleapis\/release-please-action|google-github-actions\/release-please-action|peaceiris\/actions-gh-pages|jamesives\/github-pages-deploy-action|svenstaro\/upload-release-action|actions\/github-script|crazy-max\/ghaction-github-pages|EndBug\/add-and-commit|mathieudutour\/github-tag-action|anothrNick\/github-tag-action|rickstaa\/action-create-tag|actions\/upload-release-asset|taiki-e\/upload-rust-binary-action|cycjimmy\/semantic-release-action)$/i;
const WRITE_COMMANDS = /\bgit\s+push\b|\bgh\s+(release|api|pr\s+(create|merge)|repo)\b|\bsemantic-release\b|\bgoreleaser\b|\bnpx\s+(changeset|release-it|standard-version)|\bcargo\s+release\b|\bmike\s+deploy\b|\bghp-import\b|\bmkdocs\s+gh-deploy\b/;

export const unneededContentsWrite: Audit = {
  id: 'GH1018',
  slug: 'unneeded-contents-write',
  defaultSeverity: 'warning',
  summary: 'Job holds contents: write but none of its steps pushes, tags or releases',
  zizmor: undefined,
  appliesTo: ['workflow'],
  run(file) {
    const hits: Hit[] = [];
    const topContents = entries(file, field(file, file.doc.contents, 'permissions')).find((e) => e.key === 'contents');
    for (const job of jobs(file)) {
      if (job.uses !== undefined) continue;
      const own = entries(file, field(file, job.node, 'permissions')).find((e) => e.key === 'contents');
      const jobHasPerms = field(file, job.node, 'permissions') !== undefined;
      const grant = own ?? (jobHasPerms ? undefined : topContents);
      if (grant === undefined || scalar(file, grant.value) !== 'write') continue;
      const writes = job.steps.some(
        (s) => (s.uses !== undefined && WRITERS.test(actionName(s.uses.value) ?? '')) || (s.run !== undefined && WRITE_COMMANDS.test(s.run.value)) || (s.uses !== undefined && !s.uses.value.startsWith('actions/')),
      );
      if (!writes) hits.push({ node: grant.keyNode, message: `job ${job.id} has contents: write but no step pushes, tags or releases; use contents: read` });
    }
    return hits;
  },
};
