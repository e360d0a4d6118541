import { describe, expect, it } from 'vitest';
import type { CommitSignatureRecord } from '../git-port.ts';
import { allowedSignersFromRoster, parseRoster, sshFingerprint } from './roster.ts';
import { classifyCommit } from './verify.ts';

// An ed25519 public-key line (the real-key path is covered by src/app/adapters/git.test.ts).
const PUB = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl alice';

const BOB = '3AA5C34371567BD2B1C8A4F0A1B2C3D4E5F60718';

const roster = parseRoster(`members:
  - name: Alice
    active: true
    emails: [alice@example.com]
    keys: ["${PUB}"]
  - name: Bob
    active: true
    fingerprints: ["${BOB.match(/.{4}/g)?.join(' ')}"]
  - name: Carol
    active: false
    keys: ["SHA256:carolcarolcarolcarolcarolcarolcarolcarolcar"]
`);

const rec = (over: Partial<CommitSignatureRecord>): CommitSignatureRecord => ({
  sha: 'a'.repeat(40), kind: 'none', status: 'N', key: '', signer: '', fingerprint: '', primaryFingerprint: '', authorEmail: 'x@y', subject: 's', ...over,
});

describe('commit signature classification', () => {
  it('computes SSH fingerprints like ssh-keygen -l', () => {
    expect(sshFingerprint(PUB)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(sshFingerprint('not a key')).toBeUndefined();
  });

  it('writes an allowed-signers file for the roster, git namespace only', () => {
    expect(allowedSignersFromRoster(roster)).toBe(`alice@example.com namespaces="git" ${PUB.split(' ').slice(0, 2).join(' ')}\n`);
  });

  it.each([
    ['unsigned', rec({}), 'unsigned'],
    ['bad', rec({ kind: 'ssh', status: 'B', fingerprint: 'SHA256:bad' }), 'bad-signature'],
    ['revoked', rec({ kind: 'openpgp', status: 'R', fingerprint: BOB }), 'bad-signature'],
    ['missing key', rec({ kind: 'openpgp', status: 'E', key: 'ABCDEF0123456789' }), 'signed-by-unknown-key'],
    ['ssh key not allowed', rec({ kind: 'ssh', status: 'U', fingerprint: 'SHA256:zzz' }), 'signed-by-unknown-key'],
    ['ssh signature, no allowed signers', rec({ kind: 'ssh', status: 'N' }), 'signed-by-unknown-key'],
    ['active pgp (primary)', rec({ kind: 'openpgp', status: 'U', fingerprint: 'F'.repeat(40), primaryFingerprint: BOB }), 'signed-by-active-member'],
    ['active pgp by key id', rec({ kind: 'openpgp', status: 'G', key: BOB.slice(-16) }), 'signed-by-active-member'],
    ['inactive ssh', rec({ kind: 'ssh', status: 'G', fingerprint: 'SHA256:carolcarolcarolcarolcarolcarolcarolcarolcar' }), 'signed-by-inactive-member'],
    ['good but not in roster', rec({ kind: 'openpgp', status: 'G', fingerprint: 'E'.repeat(40) }), 'signed-by-unknown-key'],
    ['unexpected letter', rec({ kind: 'openpgp', status: '?' }), 'bad-signature'],
  ])('%s', (_name, record, outcome) => {
    expect(classifyCommit(record, roster).outcome).toBe(outcome);
  });

  it('maps Alice by the fingerprint of her roster key', () => {
    const fp = sshFingerprint(PUB) ?? '';
    expect(classifyCommit(rec({ kind: 'ssh', status: 'G', fingerprint: fp }), roster)).toMatchObject({ outcome: 'signed-by-active-member', member: 'Alice' });
  });

  it.each([
    ['not yaml', 'members: [', 'ROSTER_INVALID'],
    ['missing active', 'members:\n  - name: X\n', 'ROSTER_INVALID'],
    ['unknown field', 'members:\n  - name: X\n    active: true\n    role: admin\n', 'ROSTER_INVALID'],
    ['bad key', 'members:\n  - name: X\n    active: true\n    keys: [hello]\n', 'ROSTER_INVALID'],
  ])('rejects a roster: %s', (_n, text, code) => {
    expect(() => parseRoster(text)).toThrow(expect.objectContaining({ code }));
  });
});
