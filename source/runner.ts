/**
 * The one runner every run walks — apply, rollback and settle alike — so each draws, asks,
 * journals and reports its steps the same way. A run is a list of steps, each `{name, title,
 * skip, actions, begin, run}` (Shopify cli-kit's task list is the model): the runner skips a
 * step that says why, stops between steps when asked, shows the operator a step's actions at
 * the gate before anything of it is recorded, then announces, runs and times it. What a step
 * records (apply's progress file, the journal's planned list) is the step's or the run's own
 * business, through `begin` and the walk's `started` / `finished` / `failed`.
 *
 * What the step list on the run screen (and the line printer) draws from its events:
 *
 *   ✔ Preflight                      ready               0.2 s
 *   • Backup: skipped (done before the interruption)
 *   ⠋ Multi-home services            12/39
 *     Update firewall allow-lists
 */
import type {Action} from './actions.js';
import type {StepInfo} from './domain.js';
import {NetmigrateError} from './errors.js';
import type {Emit} from './events.js';
import {StopRequested} from './executor.js';

export type RunStep<C> = StepInfo & {
	/** Why the step is not run this time (done before an interruption, nothing to do); undefined runs it. */
	skip?: (run: C) => string | undefined;
	/** What the step will change, shown at the operator's gate. A step without it takes no actions. */
	actions?: (run: C) => Promise<Action[]>;
	/** After the operator's yes, before the step is announced: what must be recorded before anything of it is done. */
	begin?: (run: C, actions: Action[]) => Promise<void>;
	/** How many units of work the step list counts for a step without actions (checks). */
	total?: (run: C) => number;
	/** Does the step's work; returns the one-line summary the step list shows. */
	run: (run: C, actions: Action[]) => Promise<string>;
};

export type Walk<C> = {
	emit: Emit;
	/** Asked before a step with actions; false stops the run (nothing of that step recorded). Absent: --yes. */
	confirm?: (step: StepInfo, actions: Action[]) => Promise<boolean>;
	/** Checked between steps (a run whose executor already stops between actions may leave it out). */
	stopRequested?: () => boolean;
	/** The run's own record of a step starting and finishing (apply's progress file). */
	started?: (step: RunStep<C>) => void;
	finished?: (step: RunStep<C>) => void;
	/** The run's own record of the step it was in when it failed or stopped; the runner then reports the failure. */
	failed?: (step: RunStep<C>, error: unknown) => void;
};

/** What the run announces of its steps (plain data: events, screens, --json). */
export function stepInfosOf<C>(list: Array<RunStep<C>>): StepInfo[] {
	return list.map(({name, title, changesHost}) => ({name, title, changesHost}));
}

/** Walks the steps in order. A failure is reported as the step's (`step-failed`, unless the run was stopped) and thrown on. */
export async function walkSteps<C>(list: Array<RunStep<C>>, run: C, walk: Walk<C>): Promise<void> {
	for (const step of list) {
		try {
			await walkStep(step, run, walk);
		} catch (error) {
			walk.failed?.(step, error);
			if (!(error instanceof StopRequested)) {
				const message = error instanceof Error ? error.message : String(error);
				const hint = error instanceof NetmigrateError && error.hint ? {hint: error.hint} : {};
				walk.emit({type: 'step-failed', step: step.name, title: step.title, error: message, ...hint});
			}
			throw error;
		}
	}
}

async function walkStep<C>(step: RunStep<C>, run: C, walk: Walk<C>): Promise<void> {
	const reason = step.skip?.(run);
	if (reason !== undefined) {
		walk.emit({type: 'step-skip', step: step.name, title: step.title, reason});
		return;
	}
	if (walk.stopRequested?.()) throw new StopRequested(`stopped before ${step.title}`);
	walk.started?.(step);
	const actions = step.actions ? await step.actions(run) : [];
	// Asked before the step starts, so its clock does not run while the operator reads.
	if (actions.length > 0 && walk.confirm && !(await walk.confirm(step, actions)))
		throw new StopRequested(`declined before ${step.title}`);
	await step.begin?.(run, actions);
	const started = performance.now();
	walk.emit({type: 'step-start', step: step.name, title: step.title, total: step.actions ? actions.length : (step.total?.(run) ?? 0)});
	const summary = await step.run(run, actions);
	walk.finished?.(step);
	walk.emit({type: 'step-done', step: step.name, title: step.title, durationMs: Math.round(performance.now() - started), summary});
}
