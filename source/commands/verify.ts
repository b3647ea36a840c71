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
import type {ObservedPair} from '../plan/matrix.js';
import {writeFileAtomic} from '../engine/files.js';
import {NetmigrateError} from '../errors.js';
import type {ReachabilityMatrix} from '../plan/matrix.js';
import {matrixJson, renderMatrixPrometheus, renderMatrixText} from '../plan/matrix-render.js';
import {verifyMatrix, type Observe} from '../verify.js';
import type {CommonOptions} from './options.js';

export type VerifyCommandOptions = CommonOptions & {prometheus?: string; observed?: string};

export async function verifyCommand(options: VerifyCommandOptions, write: (text: string) => void, observe?: Observe): Promise<number> {
	const observed = options.observed ? readObserved(options.observed) : undefined;
	const matrix = await verifyMatrix(
		options.plan,
		{...(options.iteration !== undefined ? {iteration: options.iteration} : {}), ...(observed ? {observed} : {})},
		observe,
	);
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
