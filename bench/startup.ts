/**
 * Start-up: `--help` (what an operator pays for every headless command), and the wizard's
 * first frame and its home screen in a real pseudo-terminal (`script`), measured from spawn,
 * against the private engine (the example stack's plan, its services not started).
 */
import path from 'node:path';
import {execa} from 'execa';
import {cli, median, repoRoot} from './lib.js';

export type StartupResult = {helpMs: number; firstFrameMs: number; homeMs: number; runs: number};

export async function startup(host: string, runs = 7): Promise<StartupResult> {
	const help: number[] = [];
	for (let run = 0; run < runs; run++) {
		const started = performance.now();
		await execa(process.execPath, [cli, '--help']);
		help.push(performance.now() - started);
	}
	const frames: number[] = [];
	const homes: number[] = [];
	const plan = path.join(repoRoot, 'examples/media-stack/netmigrate.yml');
	for (let run = 0; run < runs; run++) {
		const {first, home} = await firstFrame(plan, host);
		frames.push(first);
		homes.push(home);
	}
	return {helpMs: median(help), firstFrameMs: median(frames), homeMs: median(homes), runs};
}

/**
 * `script` gives the wizard a pty; the first bytes it draws are the first frame (the loading
 * screen). The home screen's menu follows once the core has loaded and read the plan and stack.
 */
async function firstFrame(plan: string, host: string): Promise<{first: number; home: number}> {
	const command = `stty cols 80 rows 24; ${process.execPath} ${cli} --plan ${plan} --host ${host}`;
	const started = performance.now();
	const child = execa('script', ['-qfec', command, '/dev/null'], {reject: false, buffer: false, stdin: 'ignore', env: {TERM: 'xterm-256color'}});
	let first = 0;
	let seen = '';
	const home = await new Promise<number>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error('no home screen within 10 s')), 10_000);
		child.stdout?.on('data', (chunk: Buffer) => {
			seen += chunk.toString();
			if (!first && /netmigrate|Reading the stack/.test(seen)) first = performance.now() - started;
			if (/Quit/.test(seen)) {
				clearTimeout(timer);
				resolve(performance.now() - started);
			}
		});
	});
	child.kill('SIGKILL');
	await child.catch(() => undefined);
	return {first, home};
}
