import type { DeclaredEntry, DeclaredResult } from '../../_shared/declared.ts';
import { buildPurl } from '../../_shared/purl.ts';

const HEX = /^\s*"([^"]+)":\s*\{:hex,\s*:([A-Za-z0-9_]+),\s*"([^"]+)"/;
const DEP = /\{:([A-Za-z0-9_]+),\s*"[^"]*",\s*\[[^\]]*optional:\s*(true|false)\]\}/g;

/** mix.lock: `:hex` entries (git/path dependencies carry no version); depends-on from the non-optional requirements. */
export function parseMixLock(text: string): DeclaredResult {
  if (!/^\s*%\{/.test(text)) return { ok: false, reason: 'mix.lock does not start with a map (%{)' };
  const entries: DeclaredEntry[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = HEX.exec(line);
    if (m === null) continue;
    const name = m[2] as string;
    const version = m[3] as string;
    const deps = [...line.matchAll(DEP)].filter((d) => d[2] === 'false').map((d) => d[1] as string);
    entries.push({ name, version, purl: buildPurl('hex', undefined, name, version), dependsOn: deps });
  }
  return { ok: true, entries };
}

const REBAR_PKG = /\{<<"([^"]+)">>,\s*\{pkg,\s*<<"([^"]+)">>,\s*<<"([^"]+)">>\}/g;

/** rebar.lock (Erlang, rebar3): `{pkg, Name, Version}` entries, which come from hex (git dependencies carry no version). */
export function parseRebarLock(text: string): DeclaredResult {
  const entries: DeclaredEntry[] = [];
  for (const m of text.matchAll(REBAR_PKG)) {
    const name = m[2] as string;
    const version = m[3] as string;
    entries.push({ name, version, purl: buildPurl('hex', undefined, name, version) });
  }
  return { ok: true, entries };
}
