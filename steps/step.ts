/**
 * What a step is. Each step of an iteration is one object in its own file under steps/: its
 * name and title, whether it changes the host, how it plans its actions from the iteration's
 * context (pure, so the dry run and the review show exactly what will happen), and how it runs
 * inside an apply. The orchestrator (source/runs/apply.ts) walks the list in steps/index.ts
 * with the runner every run uses (source/runner.ts):
 * it journals a host-changing step's planned actions, asks the operator at the gate, then
 * calls `run`. A step that changes the host runs its actions through the executor
 * (`applyPlanned`); the others (preflight, backup, checks, report) do their own reading and
 * writing of records.
 */
import {queueRecreates} from '../source/plan/recreate-queues.js';
import type {Action, IterationPlan} from '../source/actions.js';
import type {CheckResult, Discovered, HealthResult, IterationReachability, Mode, StepInfo} from '../source/domain.js';
import type {Engine} from '../source/engine/docker.js';
import type {Prober} from '../source/engine/probe.js';
import type {Emit} from '../source/events.js';
import {runActions, type ExecutorContext} from '../source/executor.js';
import type {LoadedPlan} from '../source/plan/load.js';
import type {Iteration} from '../source/plan/schema.js';
import type {BackupManifest} from '../state/backup.js';
import {type Journal} from '../state/journal.js';
import {outcomes} from '../state/journal-queries.js';
import type {IterationProgress, Progress} from '../state/progress.js';
import type {PlanContext} from './context.js';

export type Step = StepInfo & {
	/** The actions this step takes, planned from the iteration's context. Only steps that change the host plan. */
	plan?: (context: PlanContext) => Action[];
	/** How many units of work the step list counts for it (actions, or checks). */
	total?: (run: RunContext) => number;
	/** Does the step's work in an apply; returns the one-line summary the step list shows. */
	run: (run: RunContext, actions: Action[]) => Promise<string>;
};

/**
 * Everything a step may use while an apply runs. Read once per run and handed from step to
 * step: the plan and the stack as loaded when the run started, what preflight discovered, the
 * backup's manifest, the checks' results.
 */
export type RunContext = {
	planFile: string;
	host: string;
	/** The plan and compose project as loaded when the run started (files untouched so far). */
	loaded: LoadedPlan;
	iteration: Iteration;
	index: number;
	mode: Mode;
	record: IterationProgress;
	engine: Engine;
	journal: Journal;
	progress: Progress;
	executor: ExecutorContext;
	prober: Prober;
	/** false (`apply --no-matrix`): the checks step probes the declared checks only, not every pair. */
	matrix?: boolean;
	emit: Emit;
	/** The engine's picture of the stack, read by preflight (or on first use after a resume). */
	discovered?: Discovered;
	/** The whole iteration planned once, from `loaded` and `discovered`, like the plan the operator reviewed. */
	planned?: IterationPlan;
	engineVersion?: string;
	manifest?: BackupManifest;
	results: {checks: CheckResult[]; health: HealthResult[]; reachability?: IterationReachability};
	/** The step the run failed or stopped in, once it has (apply decides from it whether a resume is due). */
	currentStep?: StepInfo;
	/** The plan and stack as the files say now: read again once, after the host-changing steps edited them. */
	current: () => LoadedPlan;
};

/** A host-changing step's run: its actions through the executor, skipping those a resumed run finds done. */
export async function applyPlanned(run: RunContext, step: StepInfo, actions: Action[]): Promise<string> {
	const known = outcomes(run.journal.since(run.record.journalStart), run.iteration.name, 'apply');
	const result = await runActions(step.name, actions, run.executor, known);
	run.progress.setStep(run.iteration.name, step.name, {done: actions.length, total: actions.length});
	if (actions.length === 0) return 'nothing to do';
	return `${result.applied} applied${result.already > 0 ? `, ${result.already} already in place` : ''}`;
}

/** A step that changes the host: planned by `plan`, run through the executor. */
export function hostChangingStep(info: Omit<StepInfo, 'changesHost'>, plan: (context: PlanContext) => Action[]): Step {
	const step: Step = {
		...info,
		changesHost: true,
		plan: (context) => queueRecreates(context.project, plan(context)),
		run: async (run, actions) => applyPlanned(run, step, actions),
	};
	return step;
}
