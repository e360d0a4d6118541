/** Docker image reference split as the Docker CLI does (distribution/reference rules, simplified). */
export interface ImageRef {
  /** Registry host as written, or 'docker.io' when implied. */
  readonly registry: string;
  /** True when the registry was written explicitly. */
  readonly explicitRegistry: boolean;
  /** Repository path without registry, e.g. 'library/ubuntu'. */
  readonly repository: string;
  /** Last path component, e.g. 'ubuntu'. */
  readonly name: string;
  readonly tag?: string;
  readonly digest?: string;
}

export function parseImageRef(ref: string): ImageRef {
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > slash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const parts = rest.split('/');
  const first = parts[0] ?? '';
  const explicitRegistry = parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const registry = explicitRegistry ? first : 'docker.io';
  let repository = explicitRegistry ? parts.slice(1).join('/') : rest;
  if (!explicitRegistry && parts.length === 1) repository = `library/${rest}`;
  const name = parts[parts.length - 1] ?? rest;
  return {
    registry,
    explicitRegistry,
    repository,
    name,
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}
