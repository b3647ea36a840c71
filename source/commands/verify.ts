/**
 * `netmigrate verify [--json] [--prometheus FILE]`: every ordered pair of the stack's network
 * namespaces, probed, against the plan after the last done iteration (or `--iteration N`).
 * Exit 0 when all is as intended, 1 on any mismatch: fit for a cron job or a systemd timer,
 * with `--prometheus` writing a node-exporter textfile beside. The probing is the engine's
 * (`observe`); `--observed FILE` renders a result saved before (`verify --json`'s probes, or
 * a hand-made list of `ObservedPair`s) without one.
 */
import {readFileSync} from 'node:fs';
import path from 'node:path';
import type {ObservedPair} from '../domain.js';
import {writeFileAtomic} from '../engine/files.js';
import {NetmigrateError} from '../errors.js';
import {intendedStack, type IntendedStack} from '../plan/intent.js';
import type {LoadedPlan} from '../plan/load.js';
import {reachabilityMatrix, type ReachabilityMatrix} from '../plan/matrix.js';
import {matrixJson, renderMatrixPrometheus, renderMatrixText} from '../plan/matrix-render.js';
import {loadStackStatus} from '../run.js';
import type {CommonOptions} from './options.js';

export type VerifyCommandOptions = CommonOptions & {prometheus?: string; observed?: string};

/** Probes every pair of `stack` on the engine: each target's listening ports, from each source's namespace. */
export type Observe = (loaded: LoadedPlan, stack: IntendedStack) => Promise<ObservedPair[]>;

export async function verifyCommand(options: VerifyCommandOptions, write: (text: string) => void, observe?: Observe): Promise<number> {
	const {loaded, status} = loadStackStatus(options.plan);
	const done = status.iterations.filter((item) => item.status === 'done').at(-1)?.index ?? -1;
	const through = options.iteration !== undefined ? options.iteration - 1 : done;
	if (through >= loaded.plan.iterations.length) {
		throw new NetmigrateError(`the plan has ${loaded.plan.iterations.length} iterations; there is no iteration ${through + 1}`, {
			code: 'bad-input',
			hint: `pass --iteration between 1 and ${loaded.plan.iterations.length}`,
		});
	}
	const stack = intendedStack(loaded.project, loaded.plan, through);
	const observed = options.observed ? readObserved(options.observed) : await (observe ?? notProbed)(loaded, stack);
	const matrix = reachabilityMatrix({project: loaded.project, plan: loaded.plan, through, observed, stack});
	return renderVerify(matrix, options, write);
}

/** Writes the result as asked (and the textfile); the exit code: 1 when any pair is not as intended. */
export function renderVerify(
	matrix: ReachabilityMatrix,
	options: Pick<VerifyCommandOptions, 'json' | 'prometheus'>,
	write: (text: string) => void,
): number {
	if (options.prometheus) writeFileAtomic(path.resolve(options.prometheus), renderMatrixPrometheus(matrix), {mode: 0o644});
	if (options.json) write(JSON.stringify(matrixJson(matrix)));
	else write(renderMatrixText(matrix, Math.max(60, process.stdout.columns ?? 80)).join('\n'));
	return matrix.mismatches.length > 0 ? 1 : 0;
}

async function notProbed(): Promise<never> {
	throw new NetmigrateError('verify probes the stack on the engine, and this build cannot probe yet', {
		code: 'engine-unreachable',
		hint: 'pass --observed FILE to render a result saved before; `netmigrate map` shows the intended segmentation without an engine',
	});
}

/** A saved list of probed pairs: checked for the fields the matrix reads, with the file named on any problem. */
export function readObserved(file: string): ObservedPair[] {
	let parsed: unknown;
	try {
		parsed = JSON.parse(readFileSync(file, 'utf8'));
	} catch (error) {
		throw new NetmigrateError(`cannot read the observed result: ${(error as Error).message}`, {
			where: {file},
			code: 'bad-input',
			hint: 'a JSON array of {from, to, port, address, network, reachable, ms}',
		});
	}
	const list = Array.isArray(parsed) ? parsed : (parsed as {pairs?: unknown})?.pairs;
	if (!Array.isArray(list))
		throw new NetmigrateError('the observed result is not a list of probed pairs', {
			where: {file},
			code: 'bad-input',
			hint: 'a JSON array of {from, to, port, address, network, reachable, ms}',
		});
	const probes = list.flatMap((item: Record<string, unknown>) =>
		Array.isArray(item.ports) ? item.ports.map((port: Record<string, unknown>) => ({...port, from: item.from, to: item.to})) : [item],
	);
	const hostPaths = (parsed as {hostPaths?: unknown})?.hostPaths;
	if (Array.isArray(hostPaths))
		probes.push(...hostPaths.map((item: Record<string, unknown>) => ({...item, reachable: true, throughHost: true})));
	const bad = probes.findIndex(
		(item) =>
			typeof item.from !== 'string' ||
			typeof item.to !== 'string' ||
			typeof item.port !== 'number' ||
			typeof item.reachable !== 'boolean',
	);
	if (bad >= 0)
		throw new NetmigrateError(`probed pair ${bad + 1} lacks from, to, port or reachable`, {
			where: {file},
			code: 'bad-input',
			hint: 'each entry: {from, to, port, address, network, reachable, ms}',
		});
	return probes.map((item) => ({address: '', network: '', ms: 0, ...item}) as ObservedPair);
}
