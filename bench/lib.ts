/** Helpers the benchmarks share: the private engine, timing, the CLI, medians. */
import {cpSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import Docker from 'dockerode';
import {execa} from 'execa';
import {
	cleanEngine,
	engineTools,
	startPrivateEngine,
	stopPrivateEngine,
	type EngineRelease,
	type PrivateEngine,
} from '../source/sandbox/private-engine.js';
import {ensureBusyboxImage} from '../source/engine/image.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const cli = path.join(repoRoot, 'bin/netmigrate.js');

export type BenchEngine = PrivateEngine & {docker: Docker; release: EngineRelease};

export async function benchEngine(release: EngineRelease = '26'): Promise<BenchEngine> {
	const engine = await startPrivateEngine({release});
	const docker = new Docker({socketPath: engine.socketPath});
	await ensureBusyboxImage(docker);
	return {...engine, docker, release};
}

/**
 * The docker CLI and compose of `release` on the PATH and in DOCKER_CONFIG, as an operator's
 * shell would have them (netmigrate, compose and the CLI loops of the bench all inherit it);
 * returns the way back.
 */
export function useEngineTools(release: EngineRelease): () => void {
	const tools = engineTools(release);
	const saved = {PATH: process.env.PATH, DOCKER_CONFIG: process.env.DOCKER_CONFIG};
	if (tools.binDir) process.env.PATH = `${tools.binDir}:${process.env.PATH ?? ''}`;
	if (tools.dockerConfig) process.env.DOCKER_CONFIG = tools.dockerConfig;
	return () => {
		for (const [key, value] of Object.entries(saved)) {
			if (value === undefined) delete process.env[key];
			else process.env[key] = value;
		}
	};
}

export async function stopBenchEngine(engine: BenchEngine): Promise<void> {
	await cleanEngine(engine.docker).catch(() => undefined);
	await stopPrivateEngine(engine);
}

export function scratchCopy(source: string): {root: string; remove: () => void} {
	const root = mkdtempSync(path.join(tmpdir(), 'nm-bench-'));
	cpSync(source, root, {recursive: true});
	return {root, remove: () => rmSync(root, {recursive: true, force: true})};
}

export function emptyScratch(): {root: string; remove: () => void} {
	const root = mkdtempSync(path.join(tmpdir(), 'nm-bench-'));
	return {root, remove: () => rmSync(root, {recursive: true, force: true})};
}

export async function timed<T>(run: () => Promise<T>): Promise<{ms: number; value: T}> {
	const started = performance.now();
	const value = await run();
	return {ms: performance.now() - started, value};
}

export async function netmigrate(args: string[], cwd: string) {
	return execa(process.execPath, [cli, ...args], {cwd, reject: false, all: true, env: {NO_COLOR: '1'}});
}

export async function docker(host: string, args: string[], cwd?: string) {
	return execa('docker', args, {cwd, env: {DOCKER_HOST: host}, extendEnv: true, reject: true, all: true});
}

export function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

export function ms(value: number): string {
	return value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
}

export function ratio(a: number, b: number): string {
	return `${(a / b).toFixed(2)}×`;
}
