/**
 * Opens the wizard on the real core. Loaded only when the wizard runs, so headless commands
 * and --help never pay for Ink and React; the core itself loads after the first frame.
 */
import {render} from 'ink';
import {App, type Core} from './app.js';
import {KeyStream} from './ui/key-stream.js';
import {wizardRenderOptions} from './ui/render-options.js';
import {terminalOutput, toAscii, charset} from './ui/terminal.js';
import type {Mode} from './domain.js';

/** The core loads on first use, which the home screen makes right after its first frame. */
const core = () => import('./core.js');

export const realCore: Core = {
	loadOverview: async (...args) => (await core()).loadOverview(...args),
	loadReview: async (...args) => (await core()).loadReview(...args),
	applyIteration: async (...args) => (await core()).applyIteration(...args),
	rollbackIteration: async (...args) => (await core()).rollbackIteration(...args),
	settleStack: async (...args) => (await core()).settleStack(...args),
	previewRollback: async (...args) => (await core()).previewRollback(...args),
	checksOnly: async (...args) => (await core()).checksOnly(...args),
	journalLines: async (...args) => (await core()).journalLines(...args),
	readText: async (...args) => (await core()).readText(...args),
	loadMap: async (...args) => (await core()).loadMap(...args),
	verifyIsolation: async (planFile, host) => (await core()).verifyIsolation(planFile, host),
	recentStacks: async (...args) => (await core()).recentStacks(...args),
};

/**
 * SIGHUP, from the moment the wizard opens: a listener of our own also keeps Ink's signal-exit
 * from killing the process on it. A hang-up before the App subscribes is delivered on subscribing.
 */
function hangupSource() {
	let happened = false;
	const listeners = new Set<() => void>();
	const onSignal = () => {
		happened = true;
		for (const listener of listeners) listener();
	};
	process.on('SIGHUP', onSignal);
	const subscribe = (listener: () => void) => {
		listeners.add(listener);
		if (happened) listener();
		return () => listeners.delete(listener);
	};
	return {subscribe, close: () => process.off('SIGHUP', onSignal)};
}

/** Once the terminal is gone every write to it fails (EIO); the run must still finish its action and save. */
const ignore = () => undefined;

export async function runWizard(options: {planFile: string; host: string; mode?: Mode; yes: boolean}): Promise<number> {
	// A pty that reports no size (0×0, e.g. under `script` or some automation) would make Ink
	// wrap after every character; assume the classic 80×24 until a resize says otherwise.
	if (!process.stdout.columns) process.stdout.columns = 80;
	if (!process.stdout.rows) process.stdout.rows = 24;
	let code = 0;
	let message: string | undefined;
	// Bracketed paste: the terminal marks a paste, so KeyStream hands it over as one input
	// instead of a string of commands (a pasted line holding `q` or a newline quits or confirms).
	const pasteOff = () => process.stdout.write('\u001B[?2004l');
	process.stdout.write('\u001B[?2004h');
	process.once('exit', pasteOff);
	const hangup = hangupSource();
	for (const stream of [process.stdout, process.stderr, process.stdin]) stream.on('error', ignore);
	const instance = render(
		<App
			core={realCore}
			planFile={options.planFile}
			host={options.host}
			{...(options.mode ? {mode: options.mode} : {})}
			yes={options.yes}
			hangups={hangup.subscribe}
			onExit={(exitCode, text) => {
				code = exitCode;
				message = text;
			}}
		/>,
		// Several keys in one read (typeahead, a laggy SSH link) reach Ink one at a time.
		{
			...wizardRenderOptions,
			exitOnCtrlC: false,
			stdin: new KeyStream(process.stdin) as unknown as NodeJS.ReadStream,
			stdout: terminalOutput(process.stdout),
		},
	);
	await instance.waitUntilExit();
	hangup.close();
	pasteOff();
	process.off('exit', pasteOff);
	if (message) process.stderr.write(`${charset() === 'ascii' ? toAscii(message) : message}\n`);
	return code;
}
