import { AppError } from '../../core/errors.ts';
import type { CommitSignatureRecord, GitPort, SignatureTrust } from '../git-port.ts';
import type { Roster, RosterMember } from './roster.ts';
import { allowedSignersFromRoster } from './roster.ts';

export type CommitOutcome = 'signed-by-active-member' | 'signed-by-inactive-member' | 'signed-by-unknown-key' | 'bad-signature' | 'unsigned';

export interface CommitVerdict {
  readonly sha: string;
  readonly outcome: CommitOutcome;
  readonly kind: CommitSignatureRecord['kind'];
  /** git's %G? letter, kept for evidence. */
  readonly gitStatus: string;
  readonly member?: string;
  readonly key?: string;
  readonly reason: string;
  readonly subject: string;
  readonly authorEmail: string;
}

export interface CommitsReport {
  readonly range: string;
  readonly commits: readonly CommitVerdict[];
  readonly passed: boolean;
  readonly counts: Readonly<Record<CommitOutcome, number>>;
}

function findMember(roster: Roster, r: CommitSignatureRecord): RosterMember | undefined {
  if (r.kind === 'ssh') {
    const fp = (r.fingerprint || r.key).replace(/=+$/, '');
    return roster.members.find((m) => m.sshFingerprints.includes(fp));
  }
  const candidates = [r.fingerprint, r.primaryFingerprint, r.key].map((x) => x.replace(/\s+/g, '').toUpperCase()).filter((x) => x !== '');
  return roster.members.find((m) =>
    m.pgp.some((k) => candidates.some((c) => c === k || (k.length === 16 && c.endsWith(k)) || (c.length === 16 && k.endsWith(c)))),
  );
}

/** Turns git's verdict plus the roster into one outcome. Pure. */
export function classifyCommit(r: CommitSignatureRecord, roster: Roster): CommitVerdict {
  const base = { sha: r.sha, kind: r.kind, gitStatus: r.status, subject: r.subject, authorEmail: r.authorEmail, ...(r.key !== '' ? { key: r.fingerprint || r.key } : {}) };
  if (r.kind === 'none' && (r.status === 'N' || r.status === '')) return { ...base, outcome: 'unsigned', reason: 'the commit carries no signature' };
  switch (r.status) {
    case 'B':
      return { ...base, outcome: 'bad-signature', reason: 'git reports a bad signature: the commit was changed after signing or the signature is corrupt' };
    case 'R':
      return { ...base, outcome: 'bad-signature', reason: 'signed with a revoked key' };
    case 'E':
      return { ...base, outcome: 'signed-by-unknown-key', reason: 'the signing key is not in the keyring, so the signature cannot be checked' };
    case 'N':
      // Signed (header present) but git saw nothing it could check, e.g. an SSH signature and no allowed signers.
      return { ...base, outcome: 'signed-by-unknown-key', reason: `a ${r.kind} signature git could not check with the trust given` };
    case 'U':
      if (r.kind === 'ssh') return { ...base, outcome: 'signed-by-unknown-key', reason: 'valid SSH signature by a key that is not in the allowed signers' };
      break;
    case 'G':
    case 'X':
    case 'Y':
      break;
    default:
      return { ...base, outcome: 'bad-signature', reason: `unexpected git signature status ${r.status}` };
  }
  const member = findMember(roster, r);
  const note = r.status === 'X' ? ' (signature expired)' : r.status === 'Y' ? ' (key since expired)' : '';
  if (member === undefined) return { ...base, outcome: 'signed-by-unknown-key', reason: `valid signature by a key no roster member holds${note}` };
  return member.active
    ? { ...base, outcome: 'signed-by-active-member', member: member.name, reason: `signed by ${member.name}${note}` }
    : { ...base, outcome: 'signed-by-inactive-member', member: member.name, reason: `signed by ${member.name}, who is not an active member${note}` };
}

export interface VerifyCommitsInput {
  readonly repo: string;
  readonly range: string;
  readonly roster: Roster;
  /** Extra allowed-signers text (the roster's SSH keys are always added). */
  readonly allowedSigners?: string;
  readonly keyring?: Uint8Array;
  /** Refuse ranges larger than this (a typo like `main` instead of `main~50..main` walks all history). */
  readonly maxCommits?: number;
}

/** Lists the range with git, has git verify every commit, and maps signers to the roster. */
export async function verifyCommitRange(git: GitPort, input: VerifyCommitsInput): Promise<CommitsReport> {
  if (!/^[^\s-][^\s]*$/.test(input.range)) throw new AppError('USAGE', 'the range must be a revision range such as main~50..main', { details: { range: input.range } });
  const shas = await git.revList(input.repo, input.range);
  const max = input.maxCommits ?? 10_000;
  if (shas.length > max) throw new AppError('LIMIT_ENTRY_COUNT', 'the range has more commits than the limit', { details: { commits: shas.length, limit: max } });
  const allowed = [input.allowedSigners ?? '', allowedSignersFromRoster(input.roster)].filter((s) => s.trim() !== '').join('\n');
  const trust: SignatureTrust = { ...(allowed !== '' ? { allowedSigners: allowed.endsWith('\n') ? allowed : `${allowed}\n` } : {}), ...(input.keyring !== undefined ? { keyring: input.keyring } : {}) };
  const records = shas.length === 0 ? [] : await git.commitSignatures(input.repo, shas, trust);
  const bySha = new Map(records.map((r) => [r.sha, r]));
  const commits = shas.map((sha) => {
    const r = bySha.get(sha);
    if (r === undefined) throw new AppError('GIT_FAILED', 'git did not report on a commit of the range', { details: { sha } });
    return classifyCommit(r, input.roster);
  });
  const counts: Record<CommitOutcome, number> = { 'signed-by-active-member': 0, 'signed-by-inactive-member': 0, 'signed-by-unknown-key': 0, 'bad-signature': 0, unsigned: 0 };
  for (const c of commits) counts[c.outcome]++;
  return { range: input.range, commits, passed: commits.every((c) => c.outcome === 'signed-by-active-member'), counts };
}
