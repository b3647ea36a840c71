/** Runs the built CLI as a user would, with argument arrays and a clean environment. */
import path from 'node:path';
import {execa} from 'execa';
import {repoRoot} from './engine.js';

export const cliPath = path.join(repoRoot, 'bin/netmigrate.js');

export async function runCli(args: string[], options: {cwd?: string; env?: Record<string, string>} = {}) {
	// DOCKER_CONFIG selects the engine release's compose plugin (the harness sets it for Engine 28).
	const env: Record<string, string> = {
		PATH: process.env.PATH ?? '/usr/bin:/bin',
		HOME: process.env.HOME ?? '/root',
		NO_COLOR: '1',
		...(process.env.DOCKER_CONFIG ? {DOCKER_CONFIG: process.env.DOCKER_CONFIG} : {}),
		...options.env,
	};
	const result = await execa(process.execPath, [cliPath, ...args], {
		cwd: options.cwd ?? repoRoot,
		env,
		extendEnv: false,
		reject: false,
		all: true,
	});
	return {exitCode: result.exitCode ?? -1, signal: result.signal, stdout: result.stdout, stderr: result.stderr, all: result.all ?? ''};
}
