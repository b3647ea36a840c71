/**
 * What an iteration changed in who reaches whom, for its checks step and its report: the whole
 * matrix probed after the iteration (plan/matrix.ts) read against `before`, who shared a network
 * when it began (the checks step passes the backup's record of the engine). A pair that shared
 * one before and that the probes now find blocked is cut; one that shared none and now answers
 * is opened; each is `asked` when the plan after the iteration wants
 * it so. An opened pair nobody asked for is the stray network or legacy attachment the declared
 * checks never cross; a cut one nobody asked for is a service that lost a peer it needs. Pure.
 */
import type {IterationReachability} from '../domain.js';
import {intendedPairs, pairKey, type IntendedStack} from './intent.js';
import type {ReachabilityMatrix} from './matrix.js';

export function iterationReachability(before: IntendedStack, after: ReachabilityMatrix, durationMs?: number): IterationReachability {
	const reachableBefore = new Map(intendedPairs(before).map((pair) => [pairKey(pair.from, pair.to), pair.via.length > 0]));
	const probed = after.pairs.filter((pair) => pair.observed !== 'unprobed');
	const changed = (was: boolean) =>
		probed
			.filter((pair) => reachableBefore.get(pairKey(pair.from, pair.to)) === was && (pair.observed === 'reachable') !== was)
			.map((pair) => ({from: pair.from, to: pair.to, asked: pair.asIntended}));
	return {
		pairs: after.pairs.length,
		probed: probed.length,
		asIntended: probed.filter((pair) => pair.asIntended).length,
		mismatches: after.mismatches.map((pair) => ({from: pair.from, to: pair.to, expected: pair.expected, reason: pair.reason ?? ''})),
		cut: changed(true),
		opened: changed(false),
		throughHost: after.hostPaths.map((path) => ({from: path.from, to: path.to, port: path.port, reason: path.reason})),
		...(durationMs === undefined ? {} : {durationMs}),
	};
}

/** The one line the checks step ends with: "240 of 272 pairs probed, all as intended; cut 12 (as planned), opened 3 (2 not asked for)". */
export function reachabilitySummary(result: IterationReachability): string {
	const intended = result.asIntended === result.probed ? 'all as intended' : `${result.probed - result.asIntended} not as intended`;
	const change = (word: string, list: IterationReachability['cut']) => {
		const unasked = list.filter((pair) => !pair.asked).length;
		return `${word} ${list.length}${list.length === 0 ? '' : unasked === 0 ? ' (as planned)' : ` (${unasked} not asked for)`}`;
	};
	const host = result.throughHost.length > 0 ? `; ${result.throughHost.length} reachable through the host` : '';
	return `${result.probed} of ${result.pairs} pairs probed, ${intended}; ${change('cut', result.cut)}, ${change('opened', result.opened)}${host}`;
}
