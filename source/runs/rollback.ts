/**
 * Roll an iteration back: the inverse of every action the journal says it applied (each
 * kind's `inverse`, written beside its `apply` in source/actions.ts, is the only source),
 * newest first and grouped in an order that works (see `rollbackOrder`), run through the same
 * executor, then verified against the backup's snapshot. A file that changed since netmigrate
 * wrote it is merged: netmigrate's edits undone, the operator's kept (source/runs/drift.ts);
 * where both changed the same lines the rollback stops before anything changes, unless told
 * to keep their file or to restore the backup after saving theirs. This file chooses the
 * iteration, plans the actions and opens the run; its steps — roll back, verify — are in
 * rollback-steps.ts, walked by the runner every run uses (source/runner.ts).
 */
import {inverse, rollbackOrder, type Action} from '../actions.js';
import type {OnConflict} from '../domain.js';
import {readFileState} from '../engine/files.js';
import {NetmigrateError} from '../errors.js';
import {StopRequested} from '../executor.js';
import {stepInfosOf, walkSteps} from '../runner.js';
import {readJournal} from '../../state/journal.js';
import {actionsOf, plannedActions} from '../../state/journal-queries.js';
import {readProgress, type IterationProgress, type ProgressView} from '../../state/progress.js';
import {conflictError, driftedFiles, keepDrift, type DriftNote, type DriftPlan} from './drift.js';
import {networkModeRecreates} from './network-mode.js';
import {loadForRun, loadWithProgress, withRun, type RunOptions} from './open.js';
import {rollbackSteps, type RollbackRun} from './rollback-steps.js';

/** `mergedFiles`: restored files that kept the operator's changes since the apply (their text is a merge, not the backup). */
export type RollbackResult = {
	iteration: string;
	index: number;
	durationMs: number;
	restoredFiles: string[];
	mergedFiles: string[];
	verified: string[];
	nothingToDo: boolean;
};

/** `drift`: what happens to each file changed since the apply (merged, or a conflict and its way out). */
export type RollbackPreview = {iteration: string; index: number; actions: Action[]; drift: DriftNote[]; nothingToDo: boolean};

/** The inverse of what the journal says this iteration applied, in rollback order. */
export function rollbackActions(root: string, record: IterationProgress): Action[] {
	const applied = actionsOf(readJournal(root, record.journalStart), record.name, 'apply')
		// A write that failed never replaced the file (writes are atomic): there is nothing to undo.
		.filter((item) => !(item.action.kind === 'file.write' && item.outcome === 'failed'));
	return rollbackOrder(applied.map((item) => inverse(item.action)).reverse());
}

/** The inverse actions with each file changed since the apply merged, or resolved as `onConflict` says. */
function planRollback(root: string, record: IterationProgress, onConflict: OnConflict): DriftPlan {
	const actions = rollbackActions(root, record);
	return keepDrift(
		actions,
		driftedFiles(actions, (file) => readFileState(file)?.content),
		{onConflict, root, iteration: record.name},
	);
}

export function previewRollback(planFile: string, iteration?: number, onConflict: OnConflict = 'stop'): RollbackPreview {
	const {loaded, progress} = loadWithProgress(planFile, readProgress);
	const index = chooseRollbackIteration(
		loaded.plan.iterations.map((item) => item.name),
		progress,
		iteration,
	);
	if (index < 0) return {iteration: '', index: -1, actions: [], drift: [], nothingToDo: true};
	const record = progress.iteration((loaded.plan.iterations[index] as {name: string}).name);
	if (!record || record.status === 'rolled-back' || record.status === 'pending')
		return {iteration: record?.name ?? '', index, actions: [], drift: [], nothingToDo: true};
	const planned = planRollback(loaded.project.root, record, onConflict);
	return {iteration: record.name, index, actions: planned.actions, drift: planned.notes, nothingToDo: false};
}

export async function rollbackIteration(options: RunOptions): Promise<RollbackResult> {
	const {loaded, progress} = loadForRun(options.planFile);
	const root = loaded.project.root;
	const names = loaded.plan.iterations.map((item) => item.name);
	const index = chooseRollbackIteration(names, progress, options.iteration);
	const name = index >= 0 ? (names[index] as string) : '';
	const record = index >= 0 ? progress.iteration(name) : undefined;
	if (!record || record.status === 'rolled-back' || record.status === 'pending') {
		options.emit({type: 'log', level: 'info', message: 'nothing to roll back: no iteration has changed the stack'});
		return {iteration: name, index, durationMs: 0, restoredFiles: [], mergedFiles: [], verified: [], nothingToDo: true};
	}
	const started = Date.now();
	return withRun(options, loaded, `rollback --iteration ${index + 1}`, async ({engine, journal, executor}) => {
		const resumed = record.status === 'rolling-back' && record.rollbackJournalStart !== undefined;
		const since = resumed ? (record.rollbackJournalStart as number) : journal.lastSeq;
		const recorded = resumed ? plannedActions(journal.since(since), name, 'rollback', 'rollback') : undefined;
		// A resumed rollback replays its recorded list: the drift was settled when it was planned.
		const planned = recorded ? {actions: recorded, notes: [], copies: []} : planRollback(root, record, options.onConflict ?? 'stop');
		const actions = recorded ?? (await networkModeRecreates(engine, planned.actions, loaded.project));
		const run: RollbackRun = {
			options,
			loaded,
			name,
			progress,
			engine,
			journal,
			executor: executor(name, 'rollback'),
			since,
			recorded: recorded !== undefined,
			planned,
			actions,
			restoredFiles: [],
			mergedFiles: [],
			verified: [],
		};
		try {
			if (planned.notes.some((note) => note.outcome === 'conflict')) throw conflictError(planned.notes, {root, iteration: name});
			options.emit({type: 'run-start', run: 'rollback', iteration: name, index, resumed, steps: stepInfosOf(rollbackSteps)});
			for (const note of planned.notes) options.emit({type: 'log', level: 'info', message: note.message});
			// The executor stops between actions; the runner asks before anything is recorded: declining leaves the iteration as it was.
			await walkSteps(rollbackSteps, run, {emit: options.emit, ...(options.confirm ? {confirm: options.confirm} : {})});
			options.emit({
				type: 'run-done',
				run: 'rollback',
				iteration: name,
				durationMs: Date.now() - started,
				summary: run.verified.join('; '),
			});
			return {
				iteration: name,
				index,
				durationMs: Date.now() - started,
				restoredFiles: run.restoredFiles,
				mergedFiles: run.mergedFiles,
				verified: run.verified,
				nothingToDo: false,
			};
		} catch (error) {
			if (error instanceof StopRequested)
				options.emit({
					type: 'run-stopped',
					run: 'rollback',
					iteration: name,
					message: `${error.message}; run \`netmigrate rollback\` again to finish`,
				});
			throw error;
		}
	});
}

/** The newest iteration that changed something and is not rolled back. */
export function chooseRollbackIteration(names: string[], progress: ProgressView, requested: number | undefined): number {
	const active = (name: string) => {
		const status = progress.iteration(name)?.status;
		return status !== undefined && status !== 'pending' && status !== 'rolled-back';
	};
	if (requested !== undefined) {
		if (requested < 1 || requested > names.length)
			throw new NetmigrateError(`the plan has ${names.length} iterations; there is no iteration ${requested}`, {code: 'bad-input'});
		const later = names.slice(requested).findIndex(active);
		if (later >= 0) {
			throw new NetmigrateError(`iteration ${requested + later + 1} (${names[requested + later]}) is applied after it`, {
				code: 'bad-input',
				hint: `roll back newest first: \`netmigrate rollback --iteration ${requested + later + 1}\``,
			});
		}
		return requested - 1;
	}
	for (let index = names.length - 1; index >= 0; index--) if (active(names[index] as string)) return index;
	return -1;
}
