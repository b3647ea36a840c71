/**
 * `netmigrate settle`: what steps/settle.ts plans, run under the lock through the executor and
 * journaled under the newest applied iteration (its rollback then recreates them again from the
 * restored files). Nothing is kept in between: an interrupted settle is resumed by running it
 * again, which finds the services still stale by their hashes — those already recreated are not.
 * Its one step is walked by the runner every run uses (source/runner.ts), skipped when nothing is stale.
 */
import type {ServiceRecreate} from '../actions.js';
import {Engine} from '../engine/docker.js';
import {NetmigrateError} from '../errors.js';
import {runActions, StopRequested, type ExecutorContext} from '../executor.js';
import {healthBaselineOf} from '../health.js';
import type {LoadedPlan} from '../plan/load.js';
import {stepInfosOf, walkSteps, type RunStep} from '../runner.js';
import {readStaleness} from '../engine/staleness.js';
import {planSettle, settleStep} from '../../steps/settle.js';
import {readProgress, type ProgressView} from '../../state/progress.js';
import {composeProjectOf, loadForRun, loadWithProgress, withRun, type RunOptions} from './open.js';

export type SettlePreview = {iteration: string; index: number; actions: ServiceRecreate[]};

export type SettleResult = SettlePreview & {
	durationMs: number;
	recreated: Array<{services: string[]; durationMs: number}>;
	nothingToDo: boolean;
};

/** The iteration a settle follows: the newest done. One interrupted or rolling back must be finished first. */
function followedIteration(loaded: LoadedPlan, progress: ProgressView): {name: string; index: number} {
	const names = loaded.plan.iterations.map((item) => item.name);
	const unfinished = names.findIndex((name) => ['running', 'failed', 'rolling-back'].includes(progress.iteration(name)?.status ?? ''));
	if (unfinished >= 0) {
		throw new NetmigrateError(`iteration ${unfinished + 1} (${names[unfinished]}) is unfinished`, {
			code: 'bad-input',
			hint: 'resume it (`netmigrate apply`) or roll it back first: settle recreates services from the files as a finished iteration leaves them',
		});
	}
	const index = names.map((name) => progress.iteration(name)?.status).lastIndexOf('done');
	if (index < 0)
		throw new NetmigrateError('no iteration is applied: there is nothing to settle', {
			code: 'bad-input',
			hint: 'settle follows a live iteration (`netmigrate apply`); `netmigrate status` shows the iterations',
		});
	return {name: names[index] as string, index};
}

/** The recreates a settle would make now: the stale services, read from compose and the engine. */
async function plannedSettle(loaded: LoadedPlan, engine: Engine, host: string): Promise<ServiceRecreate[]> {
	const {stale, withContainers} = await readStaleness(engine, composeProjectOf(loaded, host), loaded.project.projectName);
	return planSettle(loaded.project, stale, withContainers);
}

export async function previewSettle(planFile: string, host: string): Promise<SettlePreview> {
	const {loaded, progress} = loadWithProgress(planFile, readProgress);
	const followed = followedIteration(loaded, progress);
	return {iteration: followed.name, index: followed.index, actions: await plannedSettle(loaded, new Engine(host), host)};
}

/** What the settle step uses: the recreates planned when the run opened, and how long each took once run. */
type SettleRun = {
	name: string;
	loaded: LoadedPlan;
	engine: Engine;
	executor: ExecutorContext;
	since: number;
	actions: ServiceRecreate[];
	durations: Map<string, number>;
};

/** The settle's one step, walked by the runner every run uses (source/runner.ts). */
const settleSteps: Array<RunStep<SettleRun>> = [
	{
		...settleStep,
		skip: (run) => (run.actions.length === 0 ? 'nothing to settle' : undefined),
		actions: async (run) => run.actions,
		async run(run, actions) {
			// A settle starts now: a container already unhealthy before it does not fail its recreates.
			const baseline = healthBaselineOf(await run.engine.listContainers(run.loaded.project.projectName));
			// Ids of their own: every settle of an iteration is kept in its journal, each undone by its rollback.
			const result = await runActions(
				settleStep.name,
				actions,
				{...run.executor, baseline: () => baseline},
				new Map(),
				`settle@${run.since}`,
			);
			run.durations = result.durations;
			return `${actions.length} recreated one at a time`;
		},
	},
];

export async function settleStack(options: RunOptions): Promise<SettleResult> {
	const {loaded, progress} = loadForRun(options.planFile);
	const {name, index} = followedIteration(loaded, progress);
	const started = Date.now();
	return withRun(options, loaded, 'settle', async ({engine, journal, executor}) => {
		const actions = await plannedSettle(loaded, engine, options.host);
		const run: SettleRun = {
			name,
			loaded,
			engine,
			executor: executor(name, 'apply'),
			since: journal.lastSeq,
			actions,
			durations: new Map(),
		};
		options.emit({type: 'run-start', run: 'settle', iteration: name, index, resumed: false, steps: stepInfosOf(settleSteps)});
		try {
			await walkSteps(settleSteps, run, {emit: options.emit, ...(options.confirm ? {confirm: options.confirm} : {})});
		} catch (error) {
			if (error instanceof StopRequested)
				options.emit({
					type: 'run-stopped',
					run: 'settle',
					iteration: name,
					message: `${error.message}; run \`netmigrate settle\` again to finish`,
				});
			throw error;
		}
		progress.update(name, (item) => delete item.settlePending);
		const recreated = actions.map((action, position) => ({
			services: [action.service, ...action.dependents],
			durationMs: run.durations.get(`settle@${run.since}-${position + 1}`) ?? 0,
		}));
		const summary =
			recreated.length === 0
				? 'nothing to settle: every container runs the definition its compose files give'
				: recreated.map((item) => `${item.services.join(' → ')} ${(item.durationMs / 1000).toFixed(1)} s`).join(', ');
		options.emit({type: 'run-done', run: 'settle', iteration: name, durationMs: Date.now() - started, summary});
		return {iteration: name, index, actions, durationMs: Date.now() - started, recreated, nothingToDo: actions.length === 0};
	});
}
