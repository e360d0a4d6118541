/**
 * zod for the whole project is its tree-shakable API, zod/mini (the schemas bundle to ~65 KB instead of
 * ~750 KB and load in a few ms, which every CLI start-up pays). zod/mini registers no locale (every
 * issue would read "Invalid input"): importing this module registers English once, as zod classic
 * does. Every module with a schema imports it beside zod/mini:
 *   import * as z from 'zod/mini';
 *   import '../core/zod.ts';
 * (Re-exporting the `z` namespace from here would defeat the bundler's tree shaking.)
 */
import { config } from 'zod/mini';
// the English messages alone: 'zod/locales' would load every language's module (~60) when run from source
import en from 'zod/v4/locales/en.js';

config(en());
