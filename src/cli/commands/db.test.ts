import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));
const CORPUS = fileURLToPath(new URL('../../../../shared/corpus/osv/', import.meta.url));

function tollgate(args: string[]) {
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('tollgate db', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-db-cli-'));
  const db = join(dir, 'vuln.db');

  it('imports sources into --db and reports status', () => {
    const imported = tollgate(['db', 'import', '--db', db, '--format', 'json', join(CORPUS, 'trivy-db-samples'), join(CORPUS, 'alpine-secdb/v3.11/main.yaml')]);
    expect(imported.code).toBe(0);
    const report = JSON.parse(imported.stdout) as { sources: { kind: string; advisories: number; skipped: number }[] };
    expect(report.sources.map((s) => s.kind)).toEqual(['folder', 'file']);
    expect(report.sources[0]?.advisories).toBe(21);
    expect(report.sources[0]?.skipped).toBeGreaterThan(0);

    const status = tollgate(['db', 'status', '--db', db, '--format', 'json']);
    expect(status.code).toBe(0);
    const parsed = JSON.parse(status.stdout) as { sources: unknown[]; counts: { byEcosystem: Record<string, number> } };
    expect(parsed.sources).toHaveLength(2);
    expect(parsed.counts.byEcosystem['Alpine']).toBeGreaterThan(100);
    expect(tollgate(['db', 'status', '--db', db]).stdout).toContain('advisories:');
  });

  it('exits 3 with VULN_DB_MISSING when the database does not exist', () => {
    const r = tollgate(['db', 'status', '--db', join(dir, 'missing.db')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('VULN_DB_MISSING');
  });

  it('exits 4 with VULN_FEED_FAILED when a source cannot be read, leaving no database behind', () => {
    const r = tollgate(['db', 'import', '--db', join(dir, 'other.db'), join(dir, 'no-such-folder')]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('VULN_FEED_FAILED');
    expect(tollgate(['db', 'status', '--db', join(dir, 'other.db')]).code).toBe(3);
  });
});
