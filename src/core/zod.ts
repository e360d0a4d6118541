/**
 * zod for the whole project is its tree-shakable API, zod/mini (the schemas bundle to ~65 KB instead of
 * ~750 KB and load in a few ms, which every CLI start-up pays). zod/mini registers no locale (every
 * issue would read "Invalid input"): importing this module registers English once, as zod classic
 * does. Every module with a schema imports it beside zod/mini:
 *   import * as z from 'zod/mini';
 *   import '../core/zod.ts';
 * (Re-exporting the `z` namespace from here would defeat the bundler's tree shaking.)
 *
 * jitless: zod compiles a parser for each object schema on its first use (`new Function`), which pays
 * off over many parses of the same schema; a CLI run parses each schema once or a few times, and the
 * compiles cost more than they save (bench/sbom's base-layers-cached run: ~0.40 -> ~0.375 s wall).
 */
import { config } from 'zod/mini';
// the English messages alone: 'zod/locales' would load every language's module (~60) when run from source
import en from 'zod/v4/locales/en.js';

config({ ...en(), jitless: true });
