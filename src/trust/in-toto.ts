import { AppError } from '../core/errors.ts';

export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
export const STATEMENT_V1 = 'https://in-toto.io/Statement/v1';
/** Older statements (cosign attest before 2.x, slsa-github-generator v1.x) use v0.1; both are read. */
export const STATEMENT_V01 = 'https://in-toto.io/Statement/v0.1';

/** A resource descriptor as a Statement subject: a name and at least one digest. */
export interface Subject {
  readonly name: string;
  readonly digest: Readonly<Record<string, string>>;
}

export interface Statement<P = unknown> {
  readonly _type: string;
  readonly subject: readonly Subject[];
  readonly predicateType: string;
  readonly predicate: P;
}

const HEX = /^[a-f0-9]+$/;
const DIGEST_LENGTHS: Readonly<Record<string, number>> = { sha256: 64, sha384: 96, sha512: 128, sha1: 40, gitCommit: 40 };

/** Builds an in-toto Statement v1; subjects must carry lowercase hex digests. */
export function makeStatement<P>(subjects: readonly Subject[], predicateType: string, predicate: P): Statement<P> {
  if (subjects.length === 0) {
    throw new AppError('USAGE', 'an in-toto statement needs at least one subject');
  }
  for (const subject of subjects) checkSubject(subject);
  if (predicateType === '') {
    throw new AppError('USAGE', 'an in-toto statement needs a predicateType');
  }
  return { _type: STATEMENT_V1, subject: subjects, predicateType, predicate };
}

/** Reads an untrusted payload as a Statement (v1 or v0.1). */
export function parseStatement(payload: Uint8Array): Statement {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(payload).toString('utf8'));
  } catch (cause) {
    throw new AppError('PROVENANCE_INVALID', 'the in-toto statement is not JSON', { cause });
  }
  const record = value as Record<string, unknown> | null;
  if (record === null || typeof record !== 'object') {
    throw new AppError('PROVENANCE_INVALID', 'the in-toto statement is not an object');
  }
  const type = record['_type'];
  if (type !== STATEMENT_V1 && type !== STATEMENT_V01) {
    throw new AppError('PROVENANCE_INVALID', 'unknown in-toto statement type', { details: { type: String(type).slice(0, 100) } });
  }
  const subject = record['subject'];
  const predicateType = record['predicateType'];
  if (!Array.isArray(subject) || typeof predicateType !== 'string') {
    throw new AppError('PROVENANCE_INVALID', 'the in-toto statement needs subject[] and predicateType');
  }
  const subjects = subject.map((entry: unknown): Subject => {
    const s = entry as Record<string, unknown> | null;
    const digest = s?.['digest'];
    if (s === null || typeof s !== 'object' || digest === null || typeof digest !== 'object') {
      throw new AppError('PROVENANCE_INVALID', 'an in-toto subject needs a digest');
    }
    const clean: Record<string, string> = {};
    for (const [alg, hex] of Object.entries(digest as Record<string, unknown>)) {
      if (typeof hex === 'string') clean[alg] = hex;
    }
    return { name: typeof s['name'] === 'string' ? s['name'] : '', digest: clean };
  });
  return { _type: type, subject: subjects, predicateType, predicate: record['predicate'] };
}

/** Whether any subject carries this digest (`sha256:hex` form). Never true for an empty list. */
export function statementCoversDigest(statement: Statement, digest: string): boolean {
  const colon = digest.indexOf(':');
  const alg = digest.slice(0, colon);
  const hex = digest.slice(colon + 1).toLowerCase();
  return colon > 0 && statement.subject.some((subject) => subject.digest[alg]?.toLowerCase() === hex);
}

function checkSubject(subject: Subject): void {
  const entries = Object.entries(subject.digest);
  if (entries.length === 0) {
    throw new AppError('USAGE', 'an in-toto subject needs at least one digest', { details: { name: subject.name } });
  }
  for (const [alg, hex] of entries) {
    const length = DIGEST_LENGTHS[alg];
    if (!HEX.test(hex) || (length !== undefined && hex.length !== length)) {
      throw new AppError('DIGEST_INVALID', 'an in-toto subject digest is not lowercase hex of the right length', {
        details: { name: subject.name, algorithm: alg },
      });
    }
  }
}
