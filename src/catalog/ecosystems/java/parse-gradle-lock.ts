import { isJsonObject } from '../../../core/json.ts';
import type { DeclaredEntry, DeclaredResult } from '../../_shared/declared.ts';
import { mavenEntry } from './parse-pom.ts';

const TEST_ONLY = /^test|Test/;

/**
 * gradle.lockfile: `group:artifact:version=conf1,conf2` lines. Entries locked only in test
 * configurations (testCompileClasspath, testRuntimeClasspath…) are left out, as trivy does.
 */
export function parseGradleLock(text: string): DeclaredResult {
  const entries: DeclaredEntry[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('empty=')) continue;
    const [coords, confs = ''] = line.split('=', 2) as [string, string?];
    const parts = coords.split(':');
    if (parts.length !== 3) continue;
    const [g, a, v] = parts as [string, string, string];
    const configurations = confs.split(',').map((c) => c.trim()).filter((c) => c !== '');
    if (configurations.length > 0 && configurations.every((c) => TEST_ONLY.test(c))) continue;
    entries.push(mavenEntry(g, a, v));
  }
  return { ok: true, entries };
}

/** build.sbt.lock (sbt-dependency-lock): dependencies not locked for the test configuration only. */
export function parseSbtLock(text: string): DeclaredResult {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `invalid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  const deps = isJsonObject(doc) ? doc['dependencies'] : undefined;
  if (!Array.isArray(deps)) return { ok: false, reason: 'build.sbt.lock has no dependencies list' };
  const entries: DeclaredEntry[] = [];
  for (const d of deps) {
    if (!isJsonObject(d)) continue;
    const { org, name, version } = d;
    if (typeof org !== 'string' || typeof name !== 'string' || typeof version !== 'string') continue;
    const confs = Array.isArray(d['configurations']) ? d['configurations'].filter((c): c is string => typeof c === 'string') : [];
    if (confs.length > 0 && confs.every((c) => c === 'test')) continue;
    entries.push(mavenEntry(org, name, version));
  }
  return { ok: true, entries };
}
