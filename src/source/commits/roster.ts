import { createHash } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import * as z from 'zod/mini';
import '../../core/zod.ts';
import { AppError } from '../../core/errors.ts';

/**
 * The roster: who may sign commits that reach the build. Keys identify members; e-mails are
 * informational (and used as SSH principals), never proof of identity on their own.
 *
 *   members:
 *     - name: Alice
 *       active: true
 *       emails: [alice@example.com]
 *       keys: ["ssh-ed25519 AAAAC3… alice", "SHA256:3q2+7w…"]   # SSH public keys or fingerprints
 *       fingerprints: ["0123…CDEF"]                              # OpenPGP (primary or subkey; 16-hex key ids accepted)
 */
export const RosterSchema = z.strictObject({
  members: z.array(
    z.strictObject({
      name: z.string().check(z.minLength(1)),
      active: z.boolean(),
      emails: z._default(z.array(z.string().check(z.minLength(3))), []),
      keys: z._default(z.array(z.string().check(z.minLength(1))), []),
      fingerprints: z._default(z.array(z.string().check(z.minLength(1))), []),
    }),
  ),
});

export interface RosterMember {
  readonly name: string;
  readonly active: boolean;
  readonly emails: readonly string[];
  /** SSH public key lines as given. */
  readonly sshKeys: readonly string[];
  /** SSH SHA256 fingerprints (from keys and given fingerprints), `SHA256:…` without padding. */
  readonly sshFingerprints: readonly string[];
  /** OpenPGP fingerprints / key ids, upper-case hex without spaces. */
  readonly pgp: readonly string[];
}

export interface Roster {
  readonly members: readonly RosterMember[];
}

const SSH_KEY = /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(?:256|384|521)|sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com)\s+([A-Za-z0-9+/=]+)/;

/** `SHA256:<base64>` as ssh-keygen -l and git's %GK print it. */
export function sshFingerprint(publicKey: string): string | undefined {
  const m = SSH_KEY.exec(publicKey.trim());
  if (m?.[2] === undefined) return undefined;
  const blob = Buffer.from(m[2], 'base64');
  if (blob.length < 16) return undefined;
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

export function parseRoster(text: string): Roster {
  let doc: unknown;
  try {
    doc = parseYaml(text, { maxAliasCount: 100 });
  } catch (cause) {
    throw new AppError('ROSTER_INVALID', 'the roster is not valid YAML', { cause });
  }
  const parsed = RosterSchema.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError('ROSTER_INVALID', 'the roster does not match the schema', {
      details: { path: issue?.path.join('.') ?? '', problem: issue?.message ?? '' },
    });
  }
  const members = parsed.data.members.map((m): RosterMember => {
    const sshKeys: string[] = [];
    const sshFingerprints: string[] = [];
    const pgp: string[] = [];
    for (const k of m.keys) {
      const fp = sshFingerprint(k);
      if (fp !== undefined) {
        sshKeys.push(k.trim());
        sshFingerprints.push(fp);
      } else if (/^SHA256:[A-Za-z0-9+/]+=*$/.test(k.trim())) sshFingerprints.push(k.trim().replace(/=+$/, ''));
      else if (/^[0-9A-Fa-f\s]{16,}$/.test(k)) pgp.push(k.replace(/\s+/g, '').toUpperCase());
      else throw new AppError('ROSTER_INVALID', 'a roster key is neither an SSH public key, an SSH fingerprint nor an OpenPGP fingerprint', { details: { member: m.name } });
    }
    for (const f of m.fingerprints) {
      const hex = f.replace(/\s+/g, '').replace(/^0x/i, '').toUpperCase();
      if (/^SHA256:/i.test(f.trim())) sshFingerprints.push(f.trim().replace(/=+$/, ''));
      else if (/^[0-9A-F]{16}$|^[0-9A-F]{40}$|^[0-9A-F]{64}$/.test(hex)) pgp.push(hex);
      else throw new AppError('ROSTER_INVALID', 'a roster fingerprint is not a 16/40/64-hex OpenPGP fingerprint or SHA256: SSH fingerprint', { details: { member: m.name } });
    }
    return { name: m.name, active: m.active, emails: m.emails, sshKeys, sshFingerprints, pgp };
  });
  return { members };
}

/** An allowed-signers file (ssh-keygen ALLOWED SIGNERS format) for the roster's SSH keys, git namespace only. */
export function allowedSignersFromRoster(roster: Roster): string {
  const lines: string[] = [];
  for (const m of roster.members) {
    const principal = (m.emails[0] ?? m.name).replace(/[\s,"]/g, '_');
    for (const key of m.sshKeys) {
      const [type, blob] = key.split(/\s+/);
      lines.push(`${principal} namespaces="git" ${type} ${blob}`);
    }
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
