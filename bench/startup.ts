/**
 * Start-up: `--help` (what an operator pays for every headless command), and the wizard's
 * first frame in a real pseudo-terminal (`script`), measured from spawn to the first output.
 */
import path from 'node:path';
import {execa} from 'execa';
import {cli, median, repoRoot} from './lib.js';

export type StartupResult = {helpMs: number; firstFrameMs: number; runs: number};

export async function startup(runs = 7): Promise<StartupResult> {
	const help: number[] = [];
	for (let run = 0; run < runs; run++) {
		const started = performance.now();
		await execa(process.execPath, [cli, '--help']);
		help.push(performance.now() - started);
	}
	const frames: number[] = [];
	const plan = path.join(repoRoot, 'examples/media-stack/netmigrate.yml');
	for (let run = 0; run < runs; run++) frames.push(await firstFrame(plan));
	return {helpMs: median(help), firstFrameMs: median(frames), runs};
}

/** `script` gives the wizard a pty; the first bytes it draws are the first frame. */
async function firstFrame(plan: string): Promise<number> {
	const command = `stty cols 80 rows 24; ${process.execPath} ${cli} --plan ${plan} --host unix:///nonexistent/docker.sock`;
	const started = performance.now();
	const child = execa('script', ['-qfec', command, '/dev/null'], {reject: false, buffer: false, stdin: 'ignore', env: {TERM: 'xterm-256color'}});
	const elapsed = await new Promise<number>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error('no frame within 10 s')), 10_000);
		child.stdout?.on('data', (chunk: Buffer) => {
			if (/netmigrate|Reading the stack/.test(chunk.toString())) {
				clearTimeout(timer);
				resolve(performance.now() - started);
			}
		});
	});
	child.kill('SIGKILL');
	await child.catch(() => undefined);
	return elapsed;
}
