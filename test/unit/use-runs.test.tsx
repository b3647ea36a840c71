/**
 * The wizard's runs hook (source/ui/use-runs.ts), through a tiny component that draws what the
 * hook gives a screen — the run's steps, the gate, whether it is stopping — and hands the test
 * its functions. The core is a stand-in whose runs emit recorded events, wait at the gate, or
 * fail; the test asserts the drawn text and what the hook asked of the shell (leave, results).
 */
import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import {Text} from 'ink';
import {cleanup, render} from 'ink-testing-library';
import {NetmigrateError} from '../../source/errors.js';
import type {WizardRunOptions} from '../../source/core.js';
import type {ApplyResult, RollbackResult} from '../../source/run.js';
import {useRuns, type RunCore} from '../../source/ui/use-runs.js';
import {tick} from '../harness/render.js';

afterEach(cleanup);
process.env.NETMIGRATE_GLYPHS = 'unicode';

type Hook = ReturnType<typeof useRuns>;
type Shell = {left: Array<[number, string | undefined]>; applied: ApplyResult[]; rolledBack: RollbackResult[]; shown: number};

function Probe({core, yes = false, shell, hook}: {core: RunCore; yes?: boolean; shell: Shell; hook: {current?: Hook}}) {
	const runs = useRuns({
		core,
		planFile: '/srv/media/netmigrate.yml',
		host: 'unix:///x.sock',
		yes,
		leave: (code, message) => shell.left.push([code, message]),
		showRun: () => shell.shown++,
		onApplied: (result) => shell.applied.push(result),
		onRolledBack: (result) => shell.rolledBack.push(result),
		onSettled: () => {},
	});
	hook.current = runs;
	const steps = runs.view.steps.map((step) => `${step.name}:${step.status}${step.error ? ` (${step.error})` : ''}`).join(' ');
	return (
		<Text>
			{[
				`${runs.view.run} ${runs.view.iteration} [${steps}]`,
				runs.gate ? `gate: ${runs.gate.title} — ${runs.gate.actions.join('; ')}` : 'no gate',
				runs.stopping ? 'stopping' : 'going',
			].join('\n')}
		</Text>
	);
}

const applied: ApplyResult = {
	status: 'done',
	iteration: 'network-foundation',
	index: 0,
	durationMs: 900,
	checks: [],
	health: [],
	restarts: [],
	networksCreated: 1,
	servicesMultihomed: 0,
	movedRoutes: [],
};
const notHere = async (): Promise<never> => {
	throw new Error('not in this test');
};

function mount(core: Partial<RunCore>, yes = false) {
	const shell: Shell = {left: [], applied: [], rolledBack: [], shown: 0};
	const hook: {current?: Hook} = {};
	const screen = render(
		<Probe
			core={{applyIteration: notHere, rollbackIteration: notHere, settleStack: notHere, ...core}}
			yes={yes}
			shell={shell}
			hook={hook}
		/>,
	);
	return {shell, screen, hook: () => hook.current as Hook};
}

async function until(predicate: () => boolean, what: string): Promise<void> {
	for (let waited = 0; waited < 5000; waited += 20) {
		if (predicate()) return;
		await tick(20);
	}
	throw new Error(`never: ${what}`);
}

const start = (options: WizardRunOptions) =>
	options.emit({
		type: 'run-start',
		run: 'apply',
		iteration: 'network-foundation',
		index: 0,
		mode: 'live',
		resumed: false,
		steps: [
			{name: 'preflight', title: 'Preflight'},
			{name: 'networks', title: 'Create networks'},
		],
	});

test('an apply: the run screen is shown, its events become the steps drawn, and the result reaches the shell', async () => {
	let finish = () => {};
	const {shell, screen, hook} = mount({
		applyIteration: async (options) => {
			start(options);
			options.emit({type: 'step-start', step: 'preflight', title: 'Preflight', total: 0});
			options.emit({type: 'step-done', step: 'preflight', title: 'Preflight', durationMs: 120, summary: 'ready'});
			options.emit({type: 'step-start', step: 'networks', title: 'Create networks', total: 1});
			await new Promise<void>((resolve) => (finish = resolve));
			return applied;
		},
	});
	const run = hook().startApply(0);
	await until(() => /preflight:done networks:running/.test(screen.lastFrame() ?? ''), 'the steps drawn as they go');
	assert.equal(shell.shown, 1);
	assert.equal(hook().running(), true);
	assert.deepEqual(shell.applied, []);
	finish();
	await run;
	assert.deepEqual(shell.applied, [applied]);
	assert.equal(hook().running(), false);
});

test('the gate: the run waits on it with the step and its actions described; the answer goes back to the run', async () => {
	const answers: boolean[] = [];
	const {screen, hook} = mount({
		applyIteration: async (options) => {
			start(options);
			answers.push(
				// The core describes the step's actions (source/core.ts, test/unit/wizard-core.test.ts); the hook draws the lines.
				await (options.confirm as NonNullable<WizardRunOptions['confirm']>)({name: 'networks', title: 'Create networks'}, [
					'create network dmz-net (172.20.0.0/24)',
				]),
			);
			return applied;
		},
	});
	const run = hook().startApply();
	await until(
		() => /gate: Create networks — create network dmz-net \(172\.20\.0\.0\/24\)/.test(screen.lastFrame() ?? ''),
		'the gate drawn',
	);
	hook().gate?.answer(true);
	await run;
	assert.deepEqual(answers, [true]);
	await until(() => /no gate/.test(screen.lastFrame() ?? ''), 'the gate gone once answered');
});

test('with --yes there is no gate to answer', async () => {
	let asked: WizardRunOptions['confirm'] | 'unset' = 'unset';
	const {hook} = mount(
		{
			applyIteration: async (options) => {
				asked = options.confirm;
				return applied;
			},
		},
		true,
	);
	await hook().startApply();
	assert.equal(asked, undefined);
});

test('Ctrl-C: the first stops after the current action (the run is told), the second leaves at once with 130', async () => {
	let release = () => {};
	const stops: boolean[] = [];
	const {shell, screen, hook} = mount({
		applyIteration: async (options) => {
			start(options);
			await new Promise<void>((resolve) => (release = resolve));
			stops.push(options.stopRequested?.() ?? false);
			return applied;
		},
	});
	const run = hook().startApply();
	await until(() => hook().running(), 'the run going');
	hook().interrupt();
	await until(() => /stopping/.test(screen.lastFrame() ?? ''), 'stopping drawn');
	assert.deepEqual(shell.left, [], 'the first Ctrl-C does not leave');
	hook().interrupt();
	assert.equal(shell.left[0]?.[0], 130);
	assert.match(shell.left[0]?.[1] ?? '', /The journal has every action/);
	release();
	await run;
	assert.deepEqual(stops, [true], 'the run saw the stop request');
});

test('with no run going, Ctrl-C leaves with 0 and a hang-up with 129', () => {
	const {shell, hook} = mount({});
	hook().interrupt();
	hook().hangup();
	assert.deepEqual(
		shell.left.map(([code]) => code),
		[0, 129],
	);
});

test('a failure before any step is drawn as the run failing, with its message; a rollback failure as the rollback failing', async () => {
	const {screen, hook} = mount({
		applyIteration: async () => {
			throw new NetmigrateError('the engine is not answering', {hint: 'start it'});
		},
		rollbackIteration: async () => {
			throw new Error('network dmz-net has active endpoints');
		},
	});
	await hook().startApply();
	await until(() => /run:failed \(the engine is not answering\)/.test(screen.lastFrame() ?? ''), 'the run failed drawn');
	await hook().startRollback(0);
	await until(
		() => /rollback:failed \(network dmz-net has active endpoints\)/.test(screen.lastFrame() ?? ''),
		'the rollback failed drawn',
	);
});

test('a run stopped by Ctrl-C that ends in StopRequested leaves with 1 and the way to resume', async () => {
	const {shell, hook} = mount({
		applyIteration: async (options) => {
			start(options);
			await until(() => options.stopRequested?.() === true, 'the stop asked');
			throw Object.assign(new Error('stopped before connect sonarr'), {name: 'StopRequested'});
		},
	});
	const run = hook().startApply();
	await until(() => hook().running(), 'the run going');
	hook().interrupt();
	await run;
	assert.equal(shell.left[0]?.[0], 1);
	assert.match(shell.left[0]?.[1] ?? '', /progress is saved/);
});
