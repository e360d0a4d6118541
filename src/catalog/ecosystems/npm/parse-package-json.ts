import { isJsonObject } from '../../../core/json.ts';
import { buildPurl } from '../../_shared/purl.ts';

/** pkg:npm/[%40scope/]name@version: a scoped name's scope is the purl namespace. */
export function npmPurl(name: string, version: string): string {
  const slash = name.startsWith('@') ? name.indexOf('/') : -1;
  return slash > 0 ? buildPurl('npm', name.slice(0, slash), name.slice(slash + 1), version) : buildPurl('npm', undefined, name, version);
}

export interface PackageJson {
  readonly name: string;
  readonly version: string;
  readonly licenses: readonly string[];
  readonly dependencies: readonly string[];
  readonly optionalDependencies: readonly string[];
  readonly devDependencies: readonly string[];
  readonly private: boolean;
}

export type PackageJsonResult = { readonly ok: true; readonly value: PackageJson } | { readonly ok: false; readonly reason: string };

/** Reads a package.json: name, version, licences (string, {type}, or legacy `licenses` array), dependency names. */
export function parsePackageJson(text: string): PackageJsonResult {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `invalid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (!isJsonObject(doc)) return { ok: false, reason: 'package.json is not an object' };
  const name = doc['name'];
  const version = doc['version'];
  if (typeof name !== 'string' || name === '') return { ok: false, reason: 'package.json has no name' };
  if (typeof version !== 'string' || version === '') return { ok: false, reason: 'package.json has no version' };
  return {
    ok: true,
    value: {
      name,
      version,
      licenses: declaredLicenses(doc['license'], doc['licenses']),
      dependencies: keysOf(doc['dependencies']),
      optionalDependencies: keysOf(doc['optionalDependencies']),
      devDependencies: keysOf(doc['devDependencies']),
      private: doc['private'] === true,
    },
  };
}

/** npm's licence shapes: 'MIT', {type:'MIT'}, [{type:'MIT'}, 'ISC']. */
export function declaredLicenses(license: unknown, licenses?: unknown): string[] {
  const out: string[] = [];
  const take = (value: unknown): void => {
    if (typeof value === 'string' && value.trim() !== '') out.push(value.trim());
    else if (isJsonObject(value) && typeof value['type'] === 'string') out.push(value['type']);
    else if (Array.isArray(value)) value.forEach(take);
  };
  take(license);
  if (out.length === 0) take(licenses);
  return out;
}

export function keysOf(value: unknown): string[] {
  return isJsonObject(value) ? Object.keys(value).sort() : [];
}
