/**
 * What an iteration changed in who reaches whom, as its checks step and report tell it: the pairs
 * cut and opened against the plan before the iteration, each asked for by the plan or not, and
 * the pairs the plan keeps reachable that did not answer — the ones that fail the step.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import {test} from 'node:test';
import {intendedPairs, intendedStack, type IntendedStack} from '../../source/plan/intent.js';
import {loadPlan} from '../../source/plan/load.js';
import {iterationReachability, reachabilitySummary} from '../../source/plan/matrix-changes.js';
import {reachabilityMatrix, type ObservedPair} from '../../source/plan/matrix.js';
import {cutOff} from '../../steps/checks-matrix.js';
import {exampleStack} from '../harness/engine.js';

const example = loadPlan(path.join(exampleStack, 'netmigrate.yml'));

function probesAsIntended(stack: IntendedStack): ObservedPair[] {
	return intendedPairs(stack).map((pair) => ({
		from: pair.from,
		to: pair.to,
		port: 8000,
		address: '172.20.9.9',
		network: pair.via[0] ?? 'media-net',
		reachable: pair.via.length > 0,
	}));
}

function afterIteration(index: number, tamper: (probes: ObservedPair[]) => ObservedPair[] = (probes) => probes, beforeIndex = index - 1) {
	const stack = intendedStack(example.project, example.plan, index);
	const matrix = reachabilityMatrix({
		project: example.project,
		plan: example.plan,
		through: index,
		observed: tamper(probesAsIntended(stack)),
		stack,
	});
	return iterationReachability(intendedStack(example.project, example.plan, beforeIndex), matrix, 1500);
}

/** The pairs whose intended reachability the iteration changes, `to` reachable (true) or blocked (false). */
function changedByPlan(index: number, to: boolean): string[] {
	const before = new Map(
		intendedPairs(intendedStack(example.project, example.plan, index - 1)).map((pair) => [
			`${pair.from} → ${pair.to}`,
			pair.via.length > 0,
		]),
	);
	return intendedPairs(intendedStack(example.project, example.plan, index))
		.filter((pair) => before.get(`${pair.from} → ${pair.to}`) === !to && pair.via.length > 0 === to)
		.map((pair) => `${pair.from} → ${pair.to}`);
}

const names = (list: Array<{from: string; to: string}>) => list.map((pair) => `${pair.from} → ${pair.to}`);

test('each example iteration, probed as the plan intends: it cut and opened exactly the pairs the plan changes, all asked for', () => {
	let cuts = 0;
	let opens = 0;
	for (const index of [0, 1, 2]) {
		const result = afterIteration(index);
		assert.deepEqual(names(result.cut).sort(), changedByPlan(index, false).sort(), `iteration ${index + 1} cut`);
		assert.deepEqual(names(result.opened).sort(), changedByPlan(index, true).sort(), `iteration ${index + 1} opened`);
		assert.ok([...result.cut, ...result.opened].every((pair) => pair.asked));
		assert.equal(result.asIntended, result.probed);
		assert.equal(cutOff(result), '');
		assert.match(reachabilitySummary(result), /all as intended/);
		cuts += result.cut.length;
		opens += result.opened.length;
	}
	// The example starts flat (every pair reachable over the legacy network): its last iteration leaving it only cuts.
	assert.equal(opens, 0);
	assert.equal(cuts, 148);
});

test('a pair the iteration should cut that still answers (a legacy attachment left on) is not cut but a mismatch — a warning, not a failure', () => {
	const apart = intendedPairs(intendedStack(example.project, example.plan, 2)).find((pair) => pair.via.length === 0);
	assert.ok(apart);
	const stillOn = (probes: ObservedPair[]) =>
		probes.map((probe) =>
			probe.from === apart.from && probe.to === apart.to ? {...probe, reachable: true, network: 'media-net'} : probe,
		);
	const result = afterIteration(2, stillOn);
	assert.equal(result.cut.length, 147);
	assert.ok(!names(result.cut).includes(`${apart.from} → ${apart.to}`));
	assert.deepEqual(names(result.mismatches), [`${apart.from} → ${apart.to}`]);
	assert.equal(cutOff(result), '');
	assert.match(reachabilitySummary(result), /^272 of 272 pairs probed, 1 not as intended; cut 147 \(as planned\), opened 0$/);
	// Probed again once the plan already keeps them apart, the same answer is a pair opened that nobody asked for.
	const later = afterIteration(2, stillOn, 2);
	assert.deepEqual(later.opened, [{from: apart.from, to: apart.to, asked: false}]);
	assert.match(reachabilitySummary(later), /opened 1 \(1 not asked for\)$/);
});

test('a pair the plan keeps reachable that nothing answers on fails the step, naming the pair and why', () => {
	const stack = intendedStack(example.project, example.plan, 0);
	const kept = intendedPairs(stack).find((pair) => pair.from === 'traefik' && pair.via.length > 0);
	assert.ok(kept);
	const result = afterIteration(0, (probes) =>
		probes.map((probe) => (probe.from === kept.from && probe.to === kept.to ? {...probe, reachable: false} : probe)),
	);
	assert.deepEqual(
		result.cut.filter((pair) => !pair.asked),
		[{from: kept.from, to: kept.to, asked: false}],
	);
	const failure = cutOff(result);
	assert.match(failure, new RegExp(`^1 pair the plan keeps reachable did not answer: ${kept.from} → ${kept.to} \\(.+\\)$`));
	assert.match(reachabilitySummary(result), /cut \d+ \(1 not asked for\)/);
});
