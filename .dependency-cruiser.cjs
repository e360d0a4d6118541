// Boundary rules from docs/architecture.md §Layout (style.md §4.2). CI fails on any violation.
const PLUGIN_AREAS = [
  'catalog/ecosystems',
  'versioning/schemes',
  'vuln/feeds',
  'source/dockerfile/rules',
  'source/workflows/audits',
  'policy/clauses',
];
const PLUGIN = `^src/(${PLUGIN_AREAS.join('|')})/`;
const REGISTRY = '^src/(catalog|versioning|vuln|source/dockerfile|source/workflows|policy)/registry[.]ts$';
/** Library modules and the other library modules each may import (core/ is always allowed). */
const LIBRARY_DEPS = {
  oci: [],
  source: [],
  versioning: [],
  policy: [],
  store: [],
  image: ['oci'],
  catalog: ['image', 'oci'],
  vuln: ['versioning', 'catalog'],
  trust: ['oci'],
  registry: ['oci', 'image', 'catalog', 'vuln', 'trust', 'store'],
  drift: ['image', 'catalog'],
  runtime: ['drift'],
};
/** Single modules of another library that one library may import (not the whole library). */
const LIBRARY_FILE_DEPS = {
  vuln: ['^src/image/paths[.]ts$'], // image path helpers (parentPath…) for the reachability walks
};
const LIBS = Object.keys(LIBRARY_DEPS);
const LIB = `^src/(${LIBS.join('|')})/`;

const libraryDag = Object.entries(LIBRARY_DEPS).map(([lib, deps]) => ({
  name: `${lib}-imports-only-${deps.length === 0 ? 'core' : deps.join('-and-')}`,
  severity: 'error',
  from: { path: `^src/${lib}/` },
  to: {
    path: `^src/(${LIBS.filter((other) => other !== lib && !deps.includes(other)).join('|')})/`,
    ...(LIBRARY_FILE_DEPS[lib] === undefined ? {} : { pathNot: LIBRARY_FILE_DEPS[lib] }),
  },
}));

module.exports = {
  forbidden: [
    ...libraryDag,
    {
      name: 'core-is-a-leaf',
      severity: 'error',
      from: { path: '^src/core/', pathNot: '^src/core/zod[.]ts$' },
      to: { pathNot: '^src/core/', dependencyTypesNot: ['core'] },
    },
    {
      // src/core/zod.ts registers zod's English messages: the one core module with a package
      name: 'core-zod-imports-only-zod',
      severity: 'error',
      from: { path: '^src/core/zod[.]ts$' },
      to: { pathNot: ['^src/core/', '^node_modules/zod/'], dependencyTypesNot: ['core'] },
    },
    {
      name: 'pure-modules-do-no-io',
      severity: 'error',
      from: { path: '^src/(core|versioning|policy|source|catalog|vuln|drift)/' },
      to: {
        dependencyTypes: ['core'],
        path: '^(node:)?(fs|fs/promises|net|http|https|http2|child_process|dgram|worker_threads)$',
      },
    },
    {
      name: 'libraries-do-not-know-transports',
      severity: 'error',
      from: { path: LIB },
      to: { path: '^src/(services|app|http|cli)/' },
    },
    {
      name: 'plugins-are-reached-through-their-registry',
      severity: 'error',
      from: { pathNot: [PLUGIN, REGISTRY] },
      to: { path: PLUGIN },
    },
    {
      name: 'services-use-ports-not-transports',
      severity: 'error',
      from: { path: '^src/services/' },
      to: { path: ['^src/(http|cli|app)/', 'node_modules/(fastify|commander|pg)/'] },
    },
    {
      name: 'transports-are-thin',
      severity: 'error',
      from: { path: '^src/(http|cli)/' },
      to: { path: LIB, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'testing-only-from-tests',
      severity: 'error',
      from: { pathNot: '^src/testing/' },
      to: { path: '^src/testing/' },
    },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '(\\.test\\.ts$|__fixtures__)' },
  },
};
