import type { DeclaredEntry, DeclaredResult } from '../../_shared/declared.ts';
import { buildPurl } from '../../_shared/purl.ts';
import { isJsonObject } from '../../../core/json.ts';

type Obj = Record<string, unknown>;

/** Platform requirements (php, ext-*, lib-*, composer-*) are not packages. */
const PLATFORM = /^(php(-64bit|-ipv6|-zts|-debug)?|hhvm|composer(-plugin-api|-runtime-api)?|ext-.+|lib-.+)$/i;

function composerEntry(raw: Obj): DeclaredEntry | undefined {
  const name = raw['name'];
  const version = raw['version'];
  if (typeof name !== 'string' || typeof version !== 'string' || name === '' || version === '') return undefined;
  const slash = name.indexOf('/');
  const license = raw['license'];
  const licenses = Array.isArray(license) ? license.filter((l): l is string => typeof l === 'string') : typeof license === 'string' ? [license] : [];
  const requires = Object.keys(isJsonObject(raw['require']) ? raw['require'] : {}).filter((r) => !PLATFORM.test(r)).map((r) => r.toLowerCase());
  return {
    name,
    version,
    purl: slash > 0 ? buildPurl('composer', name.slice(0, slash), name.slice(slash + 1), version) : buildPurl('composer', undefined, name, version),
    licenses,
    key: name.toLowerCase(),
    dependsOn: requires,
  };
}

function json(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    if (error instanceof SyntaxError) return error;
    throw error;
  }
}

/** composer.lock: `packages` (`packages-dev` is development only), licences as declared, depends-on from `require`. */
export function parseComposerLock(text: string): DeclaredResult {
  const doc = json(text);
  if (doc instanceof Error) return { ok: false, reason: `invalid JSON: ${doc.message}` };
  if (!isJsonObject(doc) || !Array.isArray(doc['packages'])) return { ok: false, reason: 'composer.lock has no packages list' };
  const entries = doc['packages'].filter(isJsonObject).map(composerEntry).filter((e): e is DeclaredEntry => e !== undefined);
  return { ok: true, entries };
}

/**
 * vendor/composer/installed.json (Composer 1: an array; Composer 2: { packages, dev-package-names }):
 * installed packages, development ones left out. A file of that name that is not Composer's gives nothing.
 */
export function parseInstalledJson(text: string): DeclaredResult {
  const doc = json(text);
  if (doc instanceof Error) return { ok: false, reason: `invalid JSON: ${doc.message}` };
  const list = Array.isArray(doc) ? doc : isJsonObject(doc) && Array.isArray(doc['packages']) ? doc['packages'] : undefined;
  if (list === undefined) return { ok: true, entries: [] };
  const dev = new Set(isJsonObject(doc) && Array.isArray(doc['dev-package-names']) ? doc['dev-package-names'].filter((n): n is string => typeof n === 'string') : []);
  const entries = list
    .filter(isJsonObject)
    .filter((p) => typeof p['name'] !== 'string' || !dev.has(p['name']))
    .map(composerEntry)
    .filter((e): e is DeclaredEntry => e !== undefined);
  return { ok: true, entries };
}
