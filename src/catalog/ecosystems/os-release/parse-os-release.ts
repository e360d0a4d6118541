import type { Distro } from '../../model.ts';

/** Parses os-release(5): KEY=value lines, values optionally quoted with shell-style escapes. */
export function parseOsRelease(text: string): Distro | undefined {
  const fields = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    fields.set(line.slice(0, eq), unquote(line.slice(eq + 1)));
  }
  const id = fields.get('ID');
  if (id === undefined || id === '') return undefined;
  const versionId = fields.get('VERSION_ID');
  const codename = fields.get('VERSION_CODENAME');
  const pretty = fields.get('PRETTY_NAME');
  const idLike = fields.get('ID_LIKE');
  return {
    id: id.toLowerCase(),
    ...(versionId !== undefined && versionId !== '' ? { versionId } : {}),
    ...(codename !== undefined && codename !== '' ? { versionCodename: codename } : {}),
    ...(pretty !== undefined && pretty !== '' ? { prettyName: pretty } : {}),
    ...(idLike !== undefined && idLike !== '' ? { idLike: idLike.split(/\s+/) } : {}),
  };
}

function unquote(value: string): string {
  const v = value.trim();
  if (v.length >= 2 && (v.startsWith('"') || v.startsWith("'")) && v.endsWith(v[0] as string)) {
    return v.slice(1, -1).replace(/\\(["'$`\\])/g, '$1');
  }
  return v;
}

/** /etc/debian_version: '12.5' → major '12'; 'bookworm/sid' → codename only. */
export function parseDebianVersion(text: string): Distro {
  const value = text.trim();
  const major = /^(\d+)/.exec(value)?.[1];
  return major !== undefined ? { id: 'debian', versionId: major, prettyName: `Debian GNU/Linux ${value}` } : { id: 'debian', prettyName: `Debian GNU/Linux ${value}` };
}

/** /etc/alpine-release: '3.19.1' → versionId '3.19.1'. */
export function parseAlpineRelease(text: string): Distro {
  const value = text.trim();
  return { id: 'alpine', ...(value !== '' ? { versionId: value } : {}), prettyName: `Alpine Linux v${value}` };
}

/** /etc/redhat-release, /etc/centos-release…: 'CentOS Linux release 7.9.2009 (Core)'. */
export function parseRedhatRelease(text: string): Distro | undefined {
  const value = text.trim();
  const match = /^(.*?)\s+release\s+(\d+(?:\.\d+)*)/i.exec(value);
  if (match === null) return undefined;
  const name = (match[1] as string).toLowerCase();
  const id = name.includes('centos') ? 'centos' : name.includes('fedora') ? 'fedora' : name.includes('rocky') ? 'rocky' : name.includes('alma') ? 'almalinux' : 'rhel';
  return { id, versionId: (match[2] as string).split('.')[0] as string, prettyName: value };
}
