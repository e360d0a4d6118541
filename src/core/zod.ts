/**
 * zod for the whole project is its tree-shakable API, zod/mini (the schemas bundle to ~65 KB instead of
 * ~750 KB and load in a few ms, which every CLI start-up pays). zod/mini registers no locale (every
 * issue would read "Invalid input"): importing this module registers English once, as zod classic
 * does, unless a locale was chosen already. Every module with a schema imports it beside zod/mini:
 *   import * as z from 'zod/mini';
 *   import '../core/zod.ts';
 * (Re-exporting the `z` namespace from here would defeat the bundler's tree shaking.)
 */
import { config } from 'zod/mini';
import { en } from 'zod/locales';
import { globalConfig } from 'zod/v4/core';

if (globalConfig.localeError === undefined) config(en());
