/**
 * The bounded pool every side-by-side engine read goes through: results in the items' order
 * whatever order they finish in, never more than the bound at once, and the first failure
 * rejecting the whole.
 */
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {setTimeout as sleep} from 'node:timers/promises';
import {inPool} from '../../source/pool.js';

test('results come back in the order of the items, not the order they finished in, with at most the bound running at once', async () => {
	let running = 0;
	let most = 0;
	const delays = [30, 5, 20, 1, 15, 10, 2, 25];
	const results = await inPool(delays, 3, async (delay) => {
		running++;
		most = Math.max(most, running);
		await sleep(delay);
		running--;
		return delay * 2;
	});
	assert.deepEqual(
		results,
		delays.map((delay) => delay * 2),
	);
	assert.equal(most, 3);
	assert.deepEqual(await inPool([], 4, async () => 1), []);
});

test('the first failure rejects the pool', async () => {
	await assert.rejects(
		inPool([1, 2, 3, 4], 2, async (item) => {
			await sleep(item);
			if (item === 2) throw new Error('item 2 failed');
			return item;
		}),
		/item 2 failed/,
	);
});
