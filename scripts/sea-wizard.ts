/**
 * What `import('./wizard.js')` resolves to in the single executable (scripts/build-sea.mjs): Ink's
 * layout engine must be compiled before any Ink module runs, which an ES module does with a
 * top-level await and the SEA's CommonJS script does here — only when the wizard is wanted, so
 * `--help` and the headless commands do not pay for it.
 */
// yogaReady exists only in the SEA build, where build-sea.mjs rewrites yoga-layout's entry.
import {yogaReady} from 'yoga-layout';
import type {runWizard as RunWizard} from '../source/wizard.js';

export const runWizard: typeof RunWizard = async (...args) => {
	await (yogaReady as Promise<void>);
	const wizard = await import('../source/wizard.js');
	return wizard.runWizard(...args);
};
