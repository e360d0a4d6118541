/** Shared loop of the *-pin-versions rules: per RUN, collect unpinned packages, one hit per RUN. Pure. */
import type { DockerfileAst } from './ast.ts';
import { commandsOf, runs } from './facts.ts';
import type { ShellCommand } from './parse/shell.ts';
import type { RuleHit } from './rule.ts';

export interface UnpinnedListing {
  /** Name at most this many packages in the message (default: all). */
  readonly max?: number;
  /** Append ', …' when the list was cut at `max`. */
  readonly ellipsis?: boolean;
}

/**
 * One hit per RUN whose commands install packages without versions.
 * `loose(cmd)` returns the unpinned packages one command installs ([] when it installs none).
 */
export function unpinnedInstallHits(
  ast: DockerfileAst,
  label: string,
  loose: (cmd: ShellCommand) => readonly string[],
  listing: UnpinnedListing = {},
): RuleHit[] {
  const hits: RuleHit[] = [];
  for (const ins of runs(ast)) {
    const found = commandsOf(ins).flatMap((cmd) => loose(cmd));
    if (found.length === 0) continue;
    const shown = listing.max === undefined ? found : found.slice(0, listing.max);
    const more = listing.ellipsis === true && listing.max !== undefined && found.length > listing.max ? ', …' : '';
    hits.push({ range: ins.range, message: `${label} without pinned versions: ${shown.join(', ')}${more}.` });
  }
  return hits;
}

/**
 * yum/dnf: the unpinned packages of `<verb> pkg…` (name-version, epoch, .rpm, paths, groups and URLs count as pinned)
 * and of `module install stream…` (name:stream counts as pinned). `pos` are the command's positionals.
 */
export function rpmUnpinned(pos: readonly string[], installVerbs: readonly string[]): string[] {
  if (pos[0] === 'module' && pos[1] === 'install') return pos.slice(2).filter((p) => !p.includes(':') && !p.startsWith('$'));
  if (!installVerbs.includes(pos[0] ?? '')) return [];
  return pos
    .slice(1)
    .filter(
      (p) => !(/-[0-9]/.test(p) || /:[0-9]/.test(p) || p.endsWith('.rpm') || p.startsWith('$') || p.startsWith('/') || p.startsWith('@') || /^https?:/.test(p)),
    );
}
