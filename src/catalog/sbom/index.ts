export { writeCycloneDx, type CycloneDxSpecVersion } from './cyclonedx.ts';
export { writeSpdx } from './spdx.ts';
export { readSbom, detectSbomFormat, type SbomFormat } from './read.ts';
export { REPRODUCIBLE_TIMESTAMP, type SbomSubject, type SbomWriteOptions } from './options.ts';
