/**
 * For the tests of what an operator installs (the npm package, the single executable): scratch
 * folders, an engine address where nothing answers (so they never reach the host's engine), and
 * the repository's own facts to compare against.
 */
import {chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {execa} from 'execa';
import {repoRoot} from './engine.js';

export {repoRoot};

export function scratchFolder(prefix: string): {root: string; remove: () => void} {
	const root = mkdtempSync(path.join(tmpdir(), prefix));
	return {root, remove: () => rmSync(root, {recursive: true, force: true})};
}

/** A socket path in a scratch folder: no engine ever listens there. */
export function noEngine(root: string): string {
	return `unix://${path.join(root, 'no-engine.sock')}`;
}

/** The files of the example stack as git knows them, relative to it. */
export async function exampleFiles(): Promise<string[]> {
	const {stdout} = await execa('git', ['ls-files', 'examples/media-stack'], {cwd: repoRoot});
	return stdout
		.split('\n')
		.filter(Boolean)
		.map((file) => path.relative('examples/media-stack', file))
		.sort();
}

export async function headCommit(): Promise<string> {
	return (await execa('git', ['rev-parse', '--short=12', 'HEAD'], {cwd: repoRoot})).stdout;
}

/** What `plan` prints for iteration 1 of the example, whichever build runs it. */
export const examplePlanLines = [
	/Iteration 1 of 3: network-foundation/,
	/running state read from the compose files \(no engine answered/,
	/\+ create network dmz-net \(172\.20\.0\.0\/24\)/,
	/\+ connect sonarr to download-net as sonarr/,
];

/**
 * `netmigrate demo` as a user who cannot install the engine, so it stops at the installer and
 * never starts a dockerd: as nobody (when the tests run as root), with a PATH of only bash, id
 * and node, so the installer cannot find a dockerd even where one is installed. The demo must
 * find its installer, run it, and say how to go on.
 */
export function demoWithoutEngineCommand(scratch: string, netmigrate: string[]): string[] {
	const bin = path.join(scratch, 'demo-bin');
	mkdirSync(bin, {recursive: true});
	for (const tool of ['bash', 'id']) symlinkSync(`/usr/bin/${tool}`, path.join(bin, tool));
	symlinkSync(process.execPath, path.join(bin, 'node'));
	chmodSync(scratch, 0o755);
	const asNobody = process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : [];
	return [...asNobody, 'env', '-i', `PATH=${bin}`, 'TERM=xterm-256color', `HOME=${scratch}`, 'NO_COLOR=1', ...netmigrate, 'demo'];
}
