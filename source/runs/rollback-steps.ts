/**
 * The two steps of a rollback, walked by the runner every run uses (source/runner.ts): roll
 * back — the inverse actions, recorded in the journal before the first one runs and replayed as
 * recorded when an interrupted rollback is resumed — then verify the stack against the backup's
 * snapshot (source/runs/rollback-verify.ts). `source/runs/rollback.ts` plans the actions and
 * opens the run; this file is what happens once it runs.
 */
import path from 'node:path';
import type {Action} from '../actions.js';
import type {Engine} from '../engine/docker.js';
import {Prober} from '../engine/probe.js';
import {addressesToKeep} from '../engine/keep-addresses.js';
import {runActions, type ExecutorContext} from '../executor.js';
import {repairFollowers} from '../namespace-recreate.js';
import type {LoadedPlan} from '../plan/load.js';
import type {RunStep} from '../runner.js';
import {readBackup} from '../../state/backup.js';
import {saveDriftCopy} from '../../state/drift.js';
import {type Journal} from '../../state/journal.js';
import {outcomes} from '../../state/journal-queries.js';
import type {Progress} from '../../state/progress.js';
import type {DriftPlan} from './drift.js';
import type {RunOptions} from './open.js';
import {restoredBy, verifyRollback} from './rollback-verify.js';

/** Everything a rollback's steps use, read once when it opens; the steps fill in what they found. */
export type RollbackRun = {
	options: RunOptions;
	loaded: LoadedPlan;
	/** The iteration rolled back. */
	name: string;
	progress: Progress;
	engine: Engine;
	journal: Journal;
	executor: ExecutorContext;
	/** Where this rollback's journal entries start (an interrupted one's, when resumed). */
	since: number;
	/** Whether the actions are the list an interrupted rollback recorded (replayed as they are). */
	recorded: boolean;
	/** The inverse actions with the operator's changes since the apply merged, and the copies to save first. */
	planned: DriftPlan;
	actions: Action[];
	restoredFiles: string[];
	mergedFiles: string[];
	verified: string[];
};

export const rollbackStep: RunStep<RollbackRun> = {
	name: 'rollback',
	title: 'Roll back',
	changesHost: true,
	actions: async (run) => run.actions,
	// Once the operator said yes, before anything changes: their copies saved, the iteration marked, the list journaled.
	async begin(run, actions) {
		saveCopies(run);
		run.progress.update(run.name, (item) => {
			item.status = 'rolling-back';
			item.rollbackJournalStart = run.since;
		});
		await Prober.sweep(run.engine, run.loaded.project.projectName);
		if (!run.recorded)
			run.journal.append({run: 'rollback', iteration: run.name, step: 'rollback', id: 'rollback-plan', phase: 'planned', actions});
	},
	async run(run, actions) {
		// A container already unhealthy when the iteration began does not block its rollback.
		const backup = readBackup(run.loaded.project.root, run.name);
		const baseline = backup?.health;
		const keep = addressesToKeep(backup, run.loaded.plan.target);
		const context = {...run.executor, baseline: () => baseline, keepAddresses: () => keep};
		await runActions('rollback', actions, context, outcomes(run.journal.since(run.since), run.name, 'rollback'));
		if (run.loaded.plan.target !== 'swarm') await repairFollowers(context);
		run.restoredFiles = restoredBy(actions);
		return `${actions.length} inverse actions`;
	},
};

export const verifyStep: RunStep<RollbackRun> = {
	name: 'verify',
	title: 'Verify against the backup snapshot',
	changesHost: false,
	async run(run) {
		const {engine, loaded, name, progress, actions, restoredFiles} = run;
		const {verified, mergedFiles} = await verifyRollback({
			engine,
			host: run.options.host,
			loaded,
			name,
			progress,
			actions,
			restoredFiles,
			emit: run.options.emit,
		});
		run.verified = verified;
		run.mergedFiles = mergedFiles;
		return verified.join(', ');
	},
};

export const rollbackSteps = [rollbackStep, verifyStep];

/** The operator's files the backup goes over (`--on-conflict backup`), saved before the rollback journals anything. */
function saveCopies(run: RollbackRun): void {
	const root = run.loaded.project.root;
	for (const {file, content} of run.planned.copies) {
		const copy = saveDriftCopy(root, run.name, file, content);
		run.options.emit({
			type: 'log',
			level: 'info',
			message: `saved your copy of ${path.relative(root, file)} as ${path.relative(root, copy)}`,
		});
	}
}
