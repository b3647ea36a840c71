/**
 * The observed half of the reachability matrix on a real engine, shared by `netmigrate verify`
 * (source/observe.ts) and every iteration's checks step (steps/checks-matrix.ts), each with
 * its own prober.
 */
import type {ObservedPair} from './plan/matrix.js';
import type {Engine} from './engine/docker.js';
import type {Prober} from './engine/probe.js';
import {paceAdvice} from './engine/neighbours.js';
import {observeReachability, stackNamespaces} from './engine/reachability.js';
import {intendedPairs, pairKey, type IntendedStack} from './plan/intent.js';

export type StackPace = {say?: (line: string) => void; skipOverMs?: number};

/**
 * Every pair of the running project's namespaces probed with `prober` (its probes kept for the
 * caller to close), read against `stack`'s intent: which pairs to try again before calling them
 * closed, and which to try around through the host. `local`: the engine's /proc is this machine's.
 * `pace`: where to say, before probing, that the host's neighbour table will hold it back
 * (source/engine/neighbours.ts), and past what estimate to skip the connects instead.
 */
export async function observeStack(
	engine: Engine,
	prober: Prober,
	project: string,
	stack: IntendedStack,
	local: boolean,
	pace: StackPace = {},
): Promise<{pairs: ObservedPair[]; durationMs: number; skipped?: string}> {
	const reachable = new Set(
		intendedPairs(stack)
			.filter((pair) => pair.via.length > 0)
			.map((pair) => pairKey(pair.from, pair.to)),
	);
	const namespaces = await stackNamespaces(engine, project);
	let skipped: string | undefined;
	const observation = await observeReachability(prober, namespaces, {
		local,
		apart: (from, to) => !reachable.has(pairKey(from, to)),
		recheck: (from, to) => reachable.has(pairKey(from, to)),
		proceed: (estimateMs, limits, cost) => {
			const advice = paceAdvice(estimateMs, limits, cost);
			if (pace.skipOverMs !== undefined && estimateMs > pace.skipOverMs) {
				skipped = advice;
				return false;
			}
			if (advice) pace.say?.(advice);
			return true;
		},
	});
	if (observation.skipped) return {pairs: [], durationMs: observation.durationMs, ...(skipped ? {skipped} : {})};
	const pairs: ObservedPair[] = observation.connects.map((connect) => ({...connect}));
	for (const path of observation.hostPaths) {
		pairs.push({
			from: path.from,
			to: path.to,
			port: path.port,
			address: path.gateway,
			network: path.network,
			reachable: true,
			throughHost: true,
		});
	}
	return {pairs, durationMs: observation.durationMs};
}
