/**
 * The tests' private Docker engine. `test/run.sh` starts one for the whole run and
 * passes its socket in NETMIGRATE_TEST_DOCKER_HOST; a test file run on its own starts
 * its own. Never the host's engine: no code here reads DOCKER_HOST or /var/run/docker.sock.
 */
import {cpSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import Docker from 'dockerode';
import {cleanEngine, startPrivateEngine, stopPrivateEngine, type PrivateEngine} from '../../source/sandbox/private-engine.js';
import {ensureBusyboxImage} from '../../source/engine/image.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const exampleStack = path.join(repoRoot, 'examples/media-stack');

export type TestEngine = {host: string; socketPath: string; docker: Docker; version: string};

let shared: Promise<TestEngine> | undefined;
let owned: PrivateEngine | undefined;

/** The engine for this test process, with the busybox image imported and nothing else on it. */
export async function testEngine(): Promise<TestEngine> {
	shared ??= connect();
	const engine = await shared;
	await cleanEngine(engine.docker);
	return engine;
}

async function connect(): Promise<TestEngine> {
	const given = process.env.NETMIGRATE_TEST_DOCKER_HOST;
	let host: string;
	if (given) {
		host = given;
	} else {
		owned = await startPrivateEngine();
		host = owned.host;
		process.once('exit', () => {
			// Last resort for a test file run on its own; `stopTestEngine` is the orderly way.
			if (owned) process.kill(owned.pid, 'SIGTERM');
		});
	}
	const socketPath = host.replace(/^unix:\/\//, '');
	const docker = new Docker({socketPath});
	const version = await docker.version();
	await ensureBusyboxImage(docker);
	return {host, socketPath, docker, version: `${version.Version} (API ${version.ApiVersion})`};
}

/** Stops an engine this process started itself (call from an `after` hook). */
export async function stopTestEngine(): Promise<void> {
	if (shared) await cleanEngine((await shared).docker).catch(() => undefined);
	if (owned) await stopPrivateEngine(owned);
	owned = undefined;
	shared = undefined;
}

/** A scratch copy of the example stack that a test may change freely. */
export function copyExampleStack(): {root: string; remove: () => void} {
	return copyStack(exampleStack);
}

/** A scratch copy of a stack folder (the example, or a fixture under test/fixtures/) that a test may change freely. */
export function copyStack(source: string): {root: string; remove: () => void} {
	const root = mkdtempSync(path.join(tmpdir(), 'nm-stack-'));
	cpSync(source, root, {recursive: true, filter: (file) => !file.includes('.netmigrate')});
	return {root, remove: () => rmSync(root, {recursive: true, force: true})};
}
