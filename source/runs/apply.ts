/**
 * Apply an iteration, or resume an interrupted one: walk the steps of steps/index.ts in order.
 * A step done before an interruption is skipped. A step that changes the host gets its
 * actions — the list it recorded in the journal when it first started (a resumed run replays
 * exactly it), else its share of this run's single plan of the iteration (the plan the operator
 * reviewed, when given one: source/runs/reviewed.ts holds the run to it) — and the operator's
 * go-ahead at its gate, then runs. What each step does is in its own file under steps/.
 */
import type {Action} from '../actions.js';
import type {CheckResult, HealthResult, Mode, MovedRoute, StepInfo} from '../domain.js';
import {discover} from '../engine/discover.js';
import {Prober} from '../engine/probe.js';
import {NetmigrateError} from '../errors.js';
import {StopRequested} from '../executor.js';
import {repairFollowers} from '../namespace-recreate.js';
import type {LoadedPlan} from '../plan/load.js';
import {walkSteps, type RunStep} from '../runner.js';
import {toolVersion} from '../version.js';
import {planIteration, stepInfos, StepPlanningFailed, steps} from '../../steps/index.js';
import {restartsOf, type Restart} from '../report.js';
import type {RunContext, Step} from '../../steps/step.js';
import {readBackup} from '../../state/backup.js';
import {type JournalEntry} from '../../state/journal.js';
import {actionsOf, plannedActions} from '../../state/journal-queries.js';
import {operatorName} from '../../state/lock.js';
import type {IterationProgress, Progress, ProgressView, StepProgress} from '../../state/progress.js';
import {addressesToKeep} from '../engine/keep-addresses.js';
import {loadForRun, loadStackPlan, withRun, type OpenRun, type RunOptions} from './open.js';
import {checkSavedFiles, holdSavedPlan} from './reviewed.js';

export type ApplyResult = {
	status: 'done' | 'already-done';
	iteration: string;
	index: number;
	durationMs: number;
	report?: string;
	checks: CheckResult[];
	health: HealthResult[];
	restarts: Restart[];
	networksCreated: number;
	servicesMultihomed: number;
	/** Containers whose default route moved to another network (engines on this machine only). */
	movedRoutes: MovedRoute[];
};

export async function applyIteration(options: RunOptions): Promise<ApplyResult> {
	const {reviewed} = options;
	if (reviewed) checkSavedFiles(reviewed.plan, reviewed.file);
	const {loaded, progress} = loadForRun(options.planFile);
	const index = chooseApplyIteration(
		loaded.plan.iterations.map((item) => item.name),
		progress,
		reviewed ? reviewed.plan.iteration.index + 1 : options.iteration,
	);
	const iteration = loaded.plan.iterations[index] as LoadedPlan['plan']['iterations'][number];
	return withRun(options, loaded, `apply --iteration ${index + 1}`, async (open) => {
		const existing = progress.iteration(iteration.name);
		if (existing?.status === 'done') {
			options.emit({type: 'log', level: 'info', message: `iteration ${index + 1} (${iteration.name}) is already done`});
			return {...resultOf(open, existing, index, existing), status: 'already-done', durationMs: 0, restarts: []};
		}
		if (existing?.status === 'rolling-back') {
			throw new NetmigrateError(`a rollback of iteration ${index + 1} (${iteration.name}) was interrupted`, {
				hint: `finish it first: \`netmigrate rollback --iteration ${index + 1}\``,
			});
		}
		const resumed = existing !== undefined && (existing.status === 'running' || existing.status === 'failed');
		if (resumed && reviewed)
			throw new NetmigrateError(
				`iteration ${index + 1} (${iteration.name}) was interrupted: a reviewed plan starts a run, it does not resume one`,
				{code: 'bad-input', hint: 'resume it with `netmigrate apply` (it replays what its journal recorded), or roll it back'},
			);
		// Checked before anything is recorded: a refusal leaves no run to resume.
		const held = reviewed ? await holdSavedPlan(reviewed.plan, reviewed.file, open.engine, loaded) : undefined;
		const mode: Mode = resumed ? existing.mode : (reviewed?.plan.iteration.mode ?? options.mode ?? iteration.mode ?? 'live');
		const record: IterationProgress = resumed
			? {...existing, status: 'running'}
			: newRecord(iteration.name, index, mode, open.journal.lastSeq);
		progress.save(record);
		options.emit({type: 'run-start', run: 'apply', iteration: iteration.name, index, mode, resumed, steps: stepInfos});

		const run = runContext(options, open, loaded, progress, record);
		if (held) run.planned = held.planned;
		for (const note of held?.planned.notes ?? []) options.emit({type: 'log', level: 'info', message: note});
		await Prober.sweep(open.engine, loaded.project.projectName);
		try {
			await runSteps(run, options);
		} catch (error) {
			// A refused preflight changed nothing: the next apply is a new run, not a resume of this one.
			if (!resumed && run.currentStep?.name === 'preflight') {
				if (existing) progress.save(existing);
				else progress.forget(iteration.name);
			}
			throw error;
		} finally {
			await run.prober.close();
		}
		const finished = progress.update(iteration.name, (item) => {
			item.status = 'done';
			item.finishedAt = new Date().toISOString();
			delete item.error;
		});
		const result = resultOf(open, finished, index, run.results);
		options.emit({
			type: 'run-done',
			run: 'apply',
			iteration: iteration.name,
			durationMs: result.durationMs,
			...(result.report ? {report: result.report} : {}),
			summary: `${result.checks.filter((check) => check.ok).length}/${result.checks.length} checks passed`,
		});
		return result;
	});
}

function newRecord(name: string, index: number, mode: Mode, journalStart: number): IterationProgress {
	return {
		name,
		index,
		status: 'running',
		mode,
		operator: operatorName(),
		toolVersion: toolVersion(),
		startedAt: new Date().toISOString(),
		journalStart,
		steps: Object.fromEntries(steps.map((step) => [step.name, {status: 'pending'} satisfies StepProgress])),
	};
}

function runContext(options: RunOptions, open: OpenRun, loaded: LoadedPlan, progress: Progress, record: IterationProgress): RunContext {
	const iteration = loaded.plan.iterations[record.index] as LoadedPlan['plan']['iterations'][number];
	let current: LoadedPlan | undefined;
	const manifest = readBackup(loaded.project.root, iteration.name);
	const context: RunContext = {
		planFile: options.planFile,
		host: options.host,
		loaded,
		iteration,
		index: record.index,
		mode: record.mode,
		record,
		engine: open.engine,
		journal: open.journal,
		progress,
		executor: open.executor(iteration.name, 'apply'),
		prober: new Prober(open.engine, loaded.project.projectName, options.probeImage),
		...(options.matrix === false ? {matrix: false} : {}),
		emit: options.emit,
		...(manifest ? {manifest} : {}),
		results: {
			checks: record.checks ?? [],
			health: record.health ?? [],
			...(record.reachability ? {reachability: record.reachability} : {}),
		},
		// Read once, when the first step after the host-changing ones asks: the files changed by then.
		current: () => (current ??= loadStackPlan(options.planFile, iteration.name)),
	};
	// Read when a recreate's gate needs it: the backup step of this very run may write it.
	context.executor.baseline = () => context.manifest?.health;
	// A recreate keeps each container's addresses from when the iteration began: netmigrate was not asked to change them.
	context.executor.keepAddresses = () => addressesToKeep(context.manifest, loaded.plan.target);
	return context;
}

/** The iteration's steps as the runner walks them: one done before an interruption is skipped; one that changes the host brings its actions. */
const applySteps: Array<RunStep<RunContext>> = steps.map((step) => ({
	...step,
	skip: (run) =>
		run.progress.iteration(run.iteration.name)?.steps[step.name]?.status === 'done' ? 'done before the interruption' : undefined,
	...(step.plan ? {actions: async (run: RunContext) => actionsFor(run, step)} : {}),
	async run(run: RunContext, actions: Action[]) {
		const summary = await step.run(run, actions);
		// Whatever recreated what (netmigrate's compose calls, or compose's own), no follower is left out of its namespace.
		if (step.changesHost && actions.length > 0 && run.loaded.plan.target !== 'swarm')
			await repairFollowers({...run.executor, run: 'apply'});
		return summary;
	},
}));

/** The table of contents of an apply: each step in order, its progress recorded as it starts and finishes. */
async function runSteps(run: RunContext, options: RunOptions): Promise<void> {
	await walkSteps(applySteps, run, {
		emit: options.emit,
		...(options.confirm ? {confirm: options.confirm} : {}),
		stopRequested: () => run.executor.stopRequested(),
		started: (step) => run.progress.setStep(run.iteration.name, step.name, {status: 'running', startedAt: new Date().toISOString()}),
		finished: (step) => run.progress.setStep(run.iteration.name, step.name, {status: 'done', finishedAt: new Date().toISOString()}),
		failed: (step, error) => recordFailure(run, step, error, options),
	});
}

/**
 * A step's actions: the list recorded when it started (a resumed run replays exactly it), else
 * its share of this run's plan of the whole iteration — made once, from preflight's reading of
 * the stack, like the plan the operator reviewed — recorded before anything of the step is done.
 */
async function actionsFor(run: RunContext, step: Step): Promise<Action[]> {
	const recorded = plannedActions(run.journal.since(run.record.journalStart), run.record.name, 'apply', step.name);
	if (recorded) return recorded;
	if (!run.planned) {
		run.discovered ??= await discover(run.engine, run.loaded.project.projectName, {forPlanning: true, target: run.loaded.plan.target});
		try {
			run.planned = planIteration(run.loaded.plan, run.index, run.loaded.project, run.discovered, run.mode);
		} catch (error) {
			// The failure belongs to the step whose planning refused, not to the step that asked for the plan.
			if (error instanceof StepPlanningFailed && error.step.name !== step.name) {
				run.progress.setStep(run.iteration.name, step.name, {status: 'pending'});
				run.currentStep = steps.find((item) => item.name === error.step.name) ?? step;
			}
			throw error;
		}
		for (const note of run.planned.notes) run.emit({type: 'log', level: 'info', message: note});
	}
	const actions = run.planned.steps.find((item) => item.name === step.name)?.actions ?? [];
	run.journal.append({run: 'apply', iteration: run.record.name, step: step.name, id: `${step.name}-plan`, phase: 'planned', actions});
	return actions;
}

/** The step it failed or stopped in, and the iteration, in the progress file (the runner reports the failure itself). */
function recordFailure(run: RunContext, step: StepInfo, error: unknown, options: RunOptions): void {
	run.currentStep = step;
	const stopped = error instanceof StopRequested;
	const message = error instanceof Error ? error.message : String(error);
	const hint = error instanceof NetmigrateError && error.hint ? {hint: error.hint} : {};
	run.progress.setStep(run.iteration.name, step.name, stopped ? {status: 'pending'} : {status: 'failed', error: message, ...hint});
	run.progress.update(run.iteration.name, (item) => {
		item.status = 'failed';
		item.error = stopped ? `stopped: ${message}` : message;
	});
	if (stopped) {
		options.emit({
			type: 'run-stopped',
			run: 'apply',
			iteration: run.iteration.name,
			message: `${message}; progress is saved — run the same command again to resume, or \`netmigrate rollback\``,
		});
	}
}

function resultOf(
	open: OpenRun,
	record: IterationProgress,
	index: number,
	results: {checks?: CheckResult[]; health?: HealthResult[]},
): ApplyResult {
	const entries = open.journal.since(record.journalStart);
	return {
		status: 'done',
		iteration: record.name,
		index,
		durationMs: record.finishedAt ? Date.parse(record.finishedAt) - Date.parse(record.startedAt) : 0,
		checks: results.checks ?? [],
		health: results.health ?? [],
		restarts: restartsOf(entries, record.name),
		movedRoutes: record.movedRoutes ?? [],
		...countsOf(entries, record.name),
		...(record.report ? {report: record.report} : {}),
	};
}

/** Networks this run created and services it joined to new networks, from the journal. */
function countsOf(runEntries: JournalEntry[], iteration: string): {networksCreated: number; servicesMultihomed: number} {
	const done = actionsOf(runEntries, iteration, 'apply').filter((item) => item.outcome === 'done');
	const joined = new Set(
		done
			.filter(
				(item) => item.step === 'multihome' && (item.action.kind === 'network.connect' || item.action.kind === 'service.recreate'),
			)
			.map((item) => ('service' in item.action ? item.action.service : '')),
	);
	return {networksCreated: done.filter((item) => item.action.kind === 'network.create').length, servicesMultihomed: joined.size};
}

export function chooseApplyIteration(names: string[], progress: ProgressView, requested: number | undefined): number {
	if (requested !== undefined) {
		if (requested < 1 || requested > names.length)
			throw new NetmigrateError(`the plan has ${names.length} iterations; there is no iteration ${requested}`, {
				code: 'bad-input',
				hint: `pass --iteration between 1 and ${names.length}`,
			});
		const earlier = names.slice(0, requested - 1).findIndex((name) => progress.iteration(name)?.status !== 'done');
		if (earlier >= 0) {
			throw new NetmigrateError(`iteration ${earlier + 1} (${names[earlier]}) is not done yet`, {
				code: 'bad-input',
				hint: `iterations run in order: apply iteration ${earlier + 1} first`,
			});
		}
		return requested - 1;
	}
	const next = names.findIndex((name) => progress.iteration(name)?.status !== 'done');
	if (next < 0)
		throw new NetmigrateError('every iteration of the plan is done', {
			code: 'bad-input',
			hint: 'add the next iteration to netmigrate.yml, or roll back with `netmigrate rollback`',
		});
	return next;
}
