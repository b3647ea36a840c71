/**
 * Opens the wizard on the real core. Loaded only when the wizard runs, so headless commands
 * and --help never pay for Ink and React.
 */
import {readFileSync} from 'node:fs';
import {render} from 'ink';
import {App, type Core} from './app.js';
import {applyIteration, previewRollback, rollbackIteration} from './run.js';
import {checksOnly, journalLines, loadOverview, loadReview} from './session.js';
import type {Mode} from '../steps/context.js';

export const realCore: Core = {
	loadOverview,
	loadReview,
	applyIteration,
	rollbackIteration,
	previewRollback,
	checksOnly,
	journalLines,
	readText: (file) => readFileSync(file, 'utf8'),
};

export async function runWizard(options: {planFile: string; host: string; mode?: Mode; yes: boolean}): Promise<number> {
	// A pty that reports no size (0×0, e.g. under `script` or some automation) would make Ink
	// wrap after every character; assume the classic 80×24 until a resize says otherwise.
	if (!process.stdout.columns) process.stdout.columns = 80;
	if (!process.stdout.rows) process.stdout.rows = 24;
	let code = 0;
	let message: string | undefined;
	const instance = render(
		<App
			core={realCore}
			planFile={options.planFile}
			host={options.host}
			{...(options.mode ? {mode: options.mode} : {})}
			yes={options.yes}
			onExit={(exitCode, text) => {
				code = exitCode;
				message = text;
			}}
		/>,
		{exitOnCtrlC: false},
	);
	await instance.waitUntilExit();
	if (message) process.stderr.write(`${message}\n`);
	return code;
}
