/**
 * The single executable's entry (scripts/build-sea.mjs): Ink's layout engine must be compiled
 * before any Ink module runs, which an ES module does with a top-level await and the SEA's
 * CommonJS script does here, before the CLI starts.
 */
// yogaReady exists only in the SEA build, where build-sea.mjs rewrites yoga-layout's entry.
import {yogaReady} from 'yoga-layout';

void (yogaReady as Promise<void>).then(async () => import('../source/cli.js'));
