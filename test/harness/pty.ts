/**
 * The wizard in a real pseudo-terminal (util-linux `script`), 80×24, timed from spawn: when its
 * first frame (the loading screen) appears and when the home screen's menu does. Shared by the
 * start-up bench and the tests of the installed builds.
 */
import {execa} from 'execa';

export type Frames = {first: number; home: number; screen: string};

/** `script -c` takes one shell line: each argument is single-quoted into it. */
function shellLine(command: string[]): string {
	return command.map((word) => `'${word.replaceAll("'", "'\\''")}'`).join(' ');
}

export async function wizardFrames(command: string[], options: {cwd?: string; timeoutMs?: number} = {}): Promise<Frames> {
	const line = `stty cols 80 rows 24; exec ${shellLine(command)}`;
	const started = performance.now();
	const child = execa('script', ['-qfec', line, '/dev/null'], {
		cwd: options.cwd,
		reject: false,
		buffer: false,
		stdin: 'ignore',
		env: {TERM: 'xterm-256color'},
	});
	let first = 0;
	let seen = '';
	try {
		const home = await new Promise<number>((resolve, reject) => {
			const timer = setTimeout(
				() => reject(new Error(`no home screen within ${options.timeoutMs ?? 10_000} ms; the terminal showed:\n${seen}`)),
				options.timeoutMs ?? 10_000,
			);
			child.stdout?.on('data', (chunk: Buffer) => {
				seen += chunk.toString();
				if (!first && /netmigrate|Reading the stack/.test(seen)) first = performance.now() - started;
				if (/Quit/.test(seen)) {
					clearTimeout(timer);
					resolve(performance.now() - started);
				}
			});
		});
		return {first, home, screen: seen};
	} finally {
		child.kill('SIGKILL');
		await child.catch(() => undefined);
	}
}

/** Runs a command to its end in an 80×24 pseudo-terminal and returns what the terminal showed. */
export async function inTerminal(command: string[], options: {cwd?: string; timeoutMs?: number} = {}): Promise<string> {
	const line = `stty cols 80 rows 24; exec ${shellLine(command)}`;
	const result = await execa('script', ['-qfec', line, '/dev/null'], {
		cwd: options.cwd,
		reject: false,
		stdin: 'ignore',
		env: {TERM: 'xterm-256color'},
		timeout: options.timeoutMs ?? 20_000,
	});
	return result.stdout;
}
