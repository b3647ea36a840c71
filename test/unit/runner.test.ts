/**
 * The one runner (source/runner.ts) that apply, rollback and settle walk: what the operator sees
 * of a run is its events, so these tests assert the events a step list produces — skipped steps
 * with their reason, the gate before a step with actions and nothing recorded when it is
 * declined, a failure reported as its step's, a stop between steps — and the run's own record.
 */
import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {Action} from '../../source/actions.js';
import {NetmigrateError} from '../../source/errors.js';
import type {RunEvent} from '../../source/events.js';
import {StopRequested} from '../../source/executor.js';
import {stepInfosOf, walkSteps, type RunStep} from '../../source/runner.js';
import {rollbackSteps} from '../../source/runs/rollback-steps.js';

type Run = {journal: string[]; done: string[]};

const connect: Action = {
	kind: 'network.connect',
	network: 'dmz-net',
	container: 'media-traefik-1',
	service: 'traefik',
	aliases: ['traefik'],
} as Action;

const steps: Array<RunStep<Run>> = [
	{
		name: 'preflight',
		title: 'Preflight',
		changesHost: false,
		skip: (run) => (run.done.includes('preflight') ? 'done before the interruption' : undefined),
		run: async () => 'ready',
	},
	{
		name: 'multihome',
		title: 'Multi-home services',
		changesHost: true,
		actions: async () => [connect],
		async begin(run, actions) {
			run.journal.push(`planned ${actions.length}`);
		},
		async run(run) {
			run.journal.push('connected');
			return '1 applied';
		},
	},
	{name: 'checks', title: 'Run checks', changesHost: false, total: () => 6, run: async () => '6/6 passed'},
];

function recorder() {
	const events: RunEvent[] = [];
	return {
		events,
		emit: (event: RunEvent) => events.push(event),
		kinds: () => events.map((event) => `${event.type}${'step' in event ? ` ${event.step}` : ''}`),
	};
}

test('a run walks its steps in order: skipped with a reason, announced with their totals, done with a summary', async () => {
	const {events, emit, kinds} = recorder();
	const run: Run = {journal: [], done: ['preflight']};
	await walkSteps(steps, run, {emit});
	assert.deepEqual(kinds(), [
		'step-skip preflight',
		'step-start multihome',
		'step-done multihome',
		'step-start checks',
		'step-done checks',
	]);
	assert.deepEqual(events[0], {type: 'step-skip', step: 'preflight', title: 'Preflight', reason: 'done before the interruption'});
	assert.deepEqual(
		events.filter((event) => event.type === 'step-start').map((event) => ('total' in event ? event.total : -1)),
		[1, 6],
	);
	assert.equal((events[4] as {summary: string}).summary, '6/6 passed');
	assert.deepEqual(run.journal, ['planned 1', 'connected']);
});

test('the gate comes before anything of the step is recorded: declining records nothing and stops the run', async () => {
	const {emit, kinds} = recorder();
	const run: Run = {journal: [], done: []};
	const asked: string[] = [];
	const failed: string[] = [];
	const walk = walkSteps(steps, run, {
		emit,
		confirm: async (step, actions) => {
			asked.push(`${step.title}: ${actions.length}`);
			return false;
		},
		failed: (step, error) => failed.push(`${step.name}: ${(error as Error).message}`),
	});
	await assert.rejects(
		walk,
		(error: unknown) => error instanceof StopRequested && error.message === 'declined before Multi-home services',
	);
	assert.deepEqual(asked, ['Multi-home services: 1'], 'only the step with actions is asked about');
	assert.deepEqual(run.journal, [], 'nothing journaled');
	assert.deepEqual(failed, ['multihome: declined before Multi-home services']);
	assert.deepEqual(kinds(), ['step-start preflight', 'step-done preflight'], 'a stop is not reported as a failed step');
});

test('a failing step is reported as its own, with the hint, and the error thrown on', async () => {
	const {events, emit} = recorder();
	const broken: Array<RunStep<Run>> = [
		{
			name: 'verify',
			title: 'Verify against the backup snapshot',
			changesHost: false,
			run: async () => Promise.reject(new NetmigrateError('network dmz-net still exists', {hint: 'run `netmigrate rollback` again'})),
		},
	];
	await assert.rejects(walkSteps(broken, {journal: [], done: []}, {emit}), /dmz-net still exists/);
	assert.deepEqual(events.at(-1), {
		type: 'step-failed',
		step: 'verify',
		title: 'Verify against the backup snapshot',
		error: 'network dmz-net still exists',
		hint: 'run `netmigrate rollback` again',
	});
});

test('a stop asked for between steps stops before the next one, recording the step it stopped before', async () => {
	const {emit, kinds} = recorder();
	let stop = false;
	const started: string[] = [];
	const finished: string[] = [];
	const walk = walkSteps(
		steps,
		{journal: [], done: []},
		{
			emit,
			stopRequested: () => stop,
			started: (step) => started.push(step.name),
			finished: (step) => {
				finished.push(step.name);
				stop = true;
			},
		},
	);
	await assert.rejects(
		walk,
		(error: unknown) => error instanceof StopRequested && error.message === 'stopped before Multi-home services',
	);
	assert.deepEqual([started, finished, kinds()], [['preflight'], ['preflight'], ['step-start preflight', 'step-done preflight']]);
});

test('a rollback announces its steps from its own step list', () => {
	assert.deepEqual(stepInfosOf(rollbackSteps), [
		{name: 'rollback', title: 'Roll back', changesHost: true},
		{name: 'verify', title: 'Verify against the backup snapshot', changesHost: false},
	]);
});
