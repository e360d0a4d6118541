export type { Catalog, Distro, Ecosystem, Package, PackageLocation, Relationship, RelationshipKind, SourcePackage } from './model.ts';
export type { CatalogContext, CatalogOutput, CatalogPorts, Cataloguer, CataloguerScope, CataloguerTag, SqliteReader } from './cataloguer.ts';
export { CATALOGUERS, selectCataloguers, type CataloguerSelection } from './registry.ts';
export { collectProbes, makeWantFilter, runCatalog, type CatalogCache, type RunCatalogOptions, type RunStats } from './run.ts';
export * from './sbom/index.ts';
