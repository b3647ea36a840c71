/**
 * The reachability matrix's pace under the host's neighbour table (source/engine/neighbours.ts):
 * what a batch of connects costs in entries, how a source's connects are cut into batches, and a
 * pace that never lets more than its share of new entries into any 5-second window — on a fake
 * clock, so the test waits for nothing.
 */
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {
	NeighbourPace,
	neighbourBatches,
	neighbourCost,
	neighboursPerWindow,
	neighbourWindowMs,
	paceAdvice,
	paceEstimateMs,
	parseNeighbourLimits,
} from '../../source/engine/neighbours.js';

test("the thresholds as the kernel prints them, Linux's defaults for what makes no sense; half of gc_thresh3 a window", () => {
	assert.deepEqual(parseNeighbourLimits('4096\n8192\n'), {gcThresh2: 4096, gcThresh3: 8192});
	// Each file read on its own ends with a newline.
	assert.deepEqual(parseNeighbourLimits('4096\n\n8192\n'), {gcThresh2: 4096, gcThresh3: 8192});
	for (const text of [undefined, '', 'garbage', '512\n0', '2048\n1024', '512'])
		assert.deepEqual(parseNeighbourLimits(text), {gcThresh2: 512, gcThresh3: 1024}, String(text));
	assert.equal(neighboursPerWindow({gcThresh2: 512, gcThresh3: 1024}), 512);
	assert.equal(neighboursPerWindow({gcThresh2: 4096, gcThresh3: 8192}), 4096);
	assert.equal(neighboursPerWindow({gcThresh2: 20, gcThresh3: 40}), 32);
});

test('the estimate: nothing while the first share covers it, then a window for each share after', () => {
	assert.equal(paceEstimateMs(0, 512), 0);
	assert.equal(paceEstimateMs(512, 512), 0);
	assert.equal(paceEstimateMs(513, 512), neighbourWindowMs);
	assert.equal(paceEstimateMs(25_800, 512), 50 * neighbourWindowMs);
});

test('advice only when the pace will hold the matrix back over 10 s: the time, the threshold, and sysctls sized to the stack', () => {
	const defaults = {gcThresh2: 512, gcThresh3: 1024};
	assert.equal(paceAdvice(9_999, defaults, 600), undefined);
	const advice = paceAdvice(42_400, defaults, 1500) ?? '';
	assert.match(advice, /about 42 s/);
	assert.match(advice, /gc_thresh3 1024/);
	// At least 8192.
	assert.match(advice, /sysctl -w net\.ipv4\.neigh\.default\.gc_thresh2=4096 net\.ipv4\.neigh\.default\.gc_thresh3=8192/);
	// 25,800 entries fit in one share (half) of 65,536.
	assert.match(
		paceAdvice(2_500_000, defaults, 25_800) ?? '',
		/about 42 min.*gc_thresh2=32768 net\.ipv4\.neigh\.default\.gc_thresh3=65536/,
	);
	// Never less than the host has.
	assert.match(
		paceAdvice(20_000, {gcThresh2: 40_000, gcThresh3: 131_072}, 1000) ?? '',
		/gc_thresh2=65536 net\.ipv4\.neigh\.default\.gc_thresh3=131072/,
	);
});

test('a batch costs one entry per distinct address on a network the source is on, plus its gateway', () => {
	const mine = new Set(['front', 'back']);
	const targets = [
		{address: '10.0.0.2', network: 'front'},
		{address: '10.0.0.2', network: 'front'},
		{address: '10.0.1.3', network: 'back'},
		{address: '10.9.0.4', network: 'db'},
		{address: '10.9.0.5', network: 'db'},
	];
	assert.equal(neighbourCost(mine, targets), 3);
	assert.equal(neighbourCost(mine, []), 1);
});

test("a source's connects are cut where the next on-link address would pass the window; off-link ones ride along", () => {
	const mine = new Set(['flat']);
	const items = [
		...Array.from({length: 10}, (_, index) => ({address: `10.0.0.${index + 2}`, network: 'flat', port: 80})),
		{address: '10.0.0.2', network: 'flat', port: 443},
		{address: '10.9.0.2', network: 'other', port: 80},
	];
	const batches = neighbourBatches(mine, items, 4);
	assert.deepEqual(
		batches.map((batch) => batch.map((item) => `${item.address}:${item.port}`)),
		[
			['10.0.0.2:80', '10.0.0.3:80', '10.0.0.4:80'],
			['10.0.0.5:80', '10.0.0.6:80', '10.0.0.7:80'],
			['10.0.0.8:80', '10.0.0.9:80', '10.0.0.10:80'],
			['10.0.0.11:80', '10.0.0.2:443', '10.9.0.2:80'],
		],
	);
	for (const batch of batches) assert.ok(neighbourCost(mine, batch) <= 4);
	assert.deepEqual(neighbourBatches(mine, [], 4), []);
});

test('the pace lets at most its share of entries into any window, waiting just long enough, and counts the wait', async () => {
	const window = neighbourWindowMs;
	let now = 0;
	const pace = new NeighbourPace(
		10,
		() => now,
		async (ms) => {
			now += ms;
		},
	);
	const times: Array<{at: number; cost: number}> = [];
	for (const cost of [6, 4, 5, 3, 30, 1]) {
		await pace.take(cost);
		times.push({at: now, cost: Math.min(cost, 10)});
		now += 100;
	}
	// 6 and 4 fill the first window; 5 waits for it to end; 3 fits beside it; 30 (over a whole window) waits for an empty one.
	assert.deepEqual(
		times.map((item) => item.at),
		[0, 100, window, window + 100, 2 * window + 100, 3 * window + 100],
	);
	for (const item of times) {
		const inWindow = times.filter((other) => other.at <= item.at && other.at > item.at - window);
		assert.ok(inWindow.reduce((sum, other) => sum + other.cost, 0) <= 10, `window ending at ${item.at} over its share`);
	}
	assert.equal(pace.waitedMs, (times.at(-1)?.at ?? 0) - 500);
});
