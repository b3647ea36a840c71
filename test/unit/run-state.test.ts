/**
 * The run screen's state (source/ui/run-state.ts) as events fold into it: here, the waits in
 * progress — several at once, as side-by-side recreates wait for their first healthchecks, each
 * timed from when its event arrived and gone at its own wait-done, all gone when the run ends.
 */
import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {RunEvent} from '../../source/events.js';
import {initialRunView, reduceRun, type RunView} from '../../source/ui/run-state.js';

/** `events`, each with the time it arrived. */
function fold(events: Array<[RunEvent, number]>, view: RunView = initialRunView('apply', [], 'labels', 1)): RunView {
	return events.reduce((next, [event, at]) => reduceRun(next, event, at), view);
}

const sonarr: RunEvent = {type: 'wait-start', service: 'sonarr', waitsFor: 'first healthcheck', aboutMs: 60_000, mostMs: 120_000};
const radarr: RunEvent = {type: 'wait-start', service: 'radarr', waitsFor: 'first healthcheck', aboutMs: 30_000, mostMs: 90_000};

test('two waits side by side are both in progress, in the order they began, each from when its event arrived', () => {
	const view = fold([
		[sonarr, 1_000],
		[radarr, 4_000],
	]);
	assert.deepEqual(view.waits, [
		{service: 'sonarr', waitsFor: 'first healthcheck', aboutMs: 60_000, mostMs: 120_000, startedAt: 1_000},
		{service: 'radarr', waitsFor: 'first healthcheck', aboutMs: 30_000, mostMs: 90_000, startedAt: 4_000},
	]);
	assert.deepEqual(view.log, [], 'the log line says the wait; the event itself adds none');
});

test("a wait-done removes that service's wait only, healthy or not", () => {
	const view = fold([
		[sonarr, 1_000],
		[radarr, 4_000],
		[{type: 'wait-done', service: 'sonarr', ok: true}, 62_000],
	]);
	assert.deepEqual(
		view.waits.map((wait) => wait.service),
		['radarr'],
	);
	const failed = reduceRun(view, {type: 'wait-done', service: 'radarr', ok: false}, 95_000);
	assert.deepEqual(failed.waits, []);
});

test('a wait said again for the same service starts over, never two bars for one service', () => {
	const view = fold([
		[sonarr, 1_000],
		[sonarr, 9_000],
	]);
	assert.deepEqual(
		view.waits.map((wait) => [wait.service, wait.startedAt]),
		[['sonarr', 9_000]],
	);
});

test('a run that ends or stops leaves no wait in progress', () => {
	const waiting = fold([
		[sonarr, 1_000],
		[radarr, 4_000],
	]);
	const done = reduceRun(waiting, {type: 'run-done', run: 'apply', iteration: 'labels', durationMs: 70_000, summary: 'done'});
	const stopped = reduceRun(waiting, {type: 'run-stopped', run: 'apply', iteration: 'labels', message: 'stopped'});
	assert.deepEqual([done.waits, stopped.waits], [[], []]);
});
