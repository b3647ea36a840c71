/**
 * Roll an iteration back: the inverse of every action the journal says it applied (each
 * kind's `inverse`, written beside its `apply` in source/actions.ts, is the only source),
 * newest first and grouped in an order that works (see `rollbackOrder`), run through the same
 * executor, then verified against the backup's snapshot. A file that changed since netmigrate
 * wrote it is merged: netmigrate's edits undone, the operator's kept (source/runs/drift.ts);
 * where both changed the same lines the rollback stops before anything changes, unless told
 * to keep their file or to restore the backup after saving theirs.
 */
import path from 'node:path';
import {inverse, rollbackOrder, type Action} from '../actions.js';
import type {DefaultRoutes, OnConflict} from '../domain.js';
import {defaultRoutesOf, movedDefaultRoutes} from '../engine/default-routes.js';
import type {Engine} from '../engine/docker.js';
import {readFileState} from '../engine/files.js';
import {Prober} from '../engine/probe.js';
import {NetmigrateError} from '../errors.js';
import {runActions, StopRequested} from '../executor.js';
import {repairFollowers} from '../namespace-recreate.js';
import type {LoadedPlan} from '../plan/load.js';
import {addressesOf, changedAddresses, membershipProblems, recordFromNames} from '../membership.js';
import {stackContainers} from '../engine/swarm-tasks.js';
import {membershipRecordOf} from '../../steps/backup.js';
import {readBackup, type BackupManifest} from '../../state/backup.js';
import {saveDriftCopy} from '../../state/drift.js';
import {actionsOf, outcomes, plannedActions, readJournal} from '../../state/journal.js';
import {readProgress, type IterationProgress, type ProgressView, type StepProgress} from '../../state/progress.js';
import {conflictError, driftedFiles, keepDrift, type DriftNote, type DriftPlan} from './drift.js';
import {networkModeRecreates} from './network-mode.js';
import {loadForRun, loadWithProgress, withRun, type RunOptions} from './open.js';

/** `mergedFiles`: restored files that kept the operator's changes since the apply (their text is a merge, not the backup). */
export type RollbackResult = {iteration: string; index: number; durationMs: number; restoredFiles: string[]; mergedFiles: string[]; verified: string[]; nothingToDo: boolean};

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
	return keepDrift(actions, driftedFiles(actions, (file) => readFileState(file)?.content), {onConflict, root, iteration: record.name});
}

export function previewRollback(planFile: string, iteration?: number, onConflict: OnConflict = 'stop'): RollbackPreview {
	const {loaded, progress} = loadWithProgress(planFile, readProgress);
	const index = chooseRollbackIteration(loaded.plan.iterations.map((item) => item.name), progress, iteration);
	if (index < 0) return {iteration: '', index: -1, actions: [], drift: [], nothingToDo: true};
	const record = progress.iteration((loaded.plan.iterations[index] as {name: string}).name);
	if (!record || record.status === 'rolled-back' || record.status === 'pending') return {iteration: record?.name ?? '', index, actions: [], drift: [], nothingToDo: true};
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
		try {
			if (planned.notes.some((note) => note.outcome === 'conflict')) throw conflictError(planned.notes, {root, iteration: name});
			options.emit({type: 'run-start', run: 'rollback', iteration: name, index, resumed, steps: [{name: 'rollback', title: 'Roll back'}, {name: 'verify', title: 'Verify against the backup snapshot'}]});
			for (const note of planned.notes) options.emit({type: 'log', level: 'info', message: note.message});
			// Asked before anything is recorded: declining leaves the iteration as it was.
			if (actions.length > 0 && options.confirm && !(await options.confirm({name: 'rollback', title: 'Roll back'}, actions))) throw new StopRequested('declined before rolling back');
			saveCopies(planned, root, name, options);
			progress.update(name, (item) => {
				item.status = 'rolling-back';
				item.rollbackJournalStart = since;
			});
			await Prober.sweep(engine, loaded.project.projectName);
			if (!recorded) journal.append({run: 'rollback', iteration: name, step: 'rollback', id: 'rollback-plan', phase: 'planned', actions});
			options.emit({type: 'step-start', step: 'rollback', title: 'Roll back', total: actions.length});
			const stepStarted = performance.now();
			// A container already unhealthy when the iteration began does not block its rollback.
			const baseline = readBackup(root, name)?.health;
			const context = {...executor(name, 'rollback'), baseline: () => baseline};
			await runActions('rollback', actions, context, outcomes(journal.since(since), name, 'rollback'));
			if (loaded.plan.target !== 'swarm') await repairFollowers(context);
			options.emit({type: 'step-done', step: 'rollback', title: 'Roll back', durationMs: Math.round(performance.now() - stepStarted), summary: `${actions.length} inverse actions`});
			const restoredFiles = restoredBy(actions);
			const {verified, mergedFiles} = await verifyRollback(engine, options, loaded, name, progress, actions, restoredFiles);
			options.emit({type: 'run-done', run: 'rollback', iteration: name, durationMs: Date.now() - started, summary: verified.join('; ')});
			return {iteration: name, index, durationMs: Date.now() - started, restoredFiles, mergedFiles, verified, nothingToDo: false};
		} catch (error) {
			if (error instanceof StopRequested) options.emit({type: 'run-stopped', run: 'rollback', iteration: name, message: `${error.message}; run \`netmigrate rollback\` again to finish`});
			throw error;
		}
	});
}

/**
 * What each file the rollback writes holds when it is done: the sha256 its last write leaves —
 * the backup's, or a merge's for a file the operator changed since. A file written twice
 * (multi-home, then the firewall) is one file restored.
 */
function intendedFiles(actions: Action[]): Map<string, string> {
	const intended = new Map<string, string>();
	for (const action of actions) if (action.kind === 'file.write') intended.set(action.path, action.sha256After);
	return intended;
}

function restoredBy(actions: Action[]): string[] {
	return [...intendedFiles(actions).keys()];
}

/** Restored files whose text is a merge that kept the operator's changes, not their backup. */
function mergedBy(actions: Action[], manifest: BackupManifest | undefined): string[] {
	const backedUp = new Map(manifest?.files.map((file) => [file.path, file.sha256]));
	return [...intendedFiles(actions)].filter(([file, intended]) => backedUp.has(file) && backedUp.get(file) !== intended).map(([file]) => file);
}

/** The operator's files the backup goes over (`--on-conflict backup`), saved before the rollback journals anything. */
function saveCopies(planned: DriftPlan, root: string, iteration: string, options: RunOptions): void {
	for (const {file, content} of planned.copies) {
		const copy = saveDriftCopy(root, iteration, file, content);
		options.emit({type: 'log', level: 'info', message: `saved your copy of ${path.relative(root, file)} as ${path.relative(root, copy)}`});
	}
}

async function verifyRollback(engine: Engine, options: RunOptions, loaded: LoadedPlan, name: string, progress: ReturnType<typeof loadForRun>['progress'], actions: Action[], restoredFiles: string[]): Promise<{verified: string[]; mergedFiles: string[]}> {
	options.emit({type: 'step-start', step: 'verify', title: 'Verify against the backup snapshot', total: 0});
	const manifest = readBackup(loaded.project.root, name);
	const differences = await differencesFromBackup(engine, options.host, loaded, manifest, actions);
	if (differences.length > 0) {
		progress.update(name, (item) => {
			item.error = `rollback verification: ${differences.join('; ')}`;
		});
		throw new NetmigrateError(`the rollback finished, but the stack differs from the snapshot: ${differences.join('; ')}`, {hint: 'look at the differences above; run `netmigrate rollback` again after fixing them'});
	}
	const stillMoved = movedDefaultRoutes(manifest?.defaultRoutes ?? {}, await routesNow(engine, options.host, loaded.project.projectName));
	for (const move of stillMoved) {
		options.emit({type: 'log', level: 'warn', message: `${move.container}'s default route leaves through ${move.after ?? 'no network'}, not ${move.before ?? 'none'} as before (the engine picks it among the networks the container is on)`});
	}
	const mergedFiles = mergedBy(actions, manifest);
	const merges = mergedFiles.length > 0 ? `, ${mergedFiles.length} merged with your changes` : '';
	const count = Object.keys(manifest?.membership ?? {}).length;
	// A swarm's record, and a backup from before aliases were recorded, hold network names only.
	const containers = manifest?.record && loaded.plan.target !== 'swarm' ? `${count} containers with their networks, aliases and pinned addresses as before` : `${count} containers on exactly their networks from before`;
	const verified = [`${restoredFiles.length} restored file${restoredFiles.length === 1 ? '' : 's'} byte-identical (sha256)${merges}`, containers, ...(await addressSummary(engine, loaded, manifest))];
	options.emit({type: 'step-done', step: 'verify', title: 'Verify against the backup snapshot', durationMs: 0, summary: verified.join(', ')});
	progress.update(name, (item) => {
		item.status = 'rolled-back';
		item.finishedAt = new Date().toISOString();
		delete item.error;
		for (const step of Object.keys(item.steps)) if (item.steps[step]?.status !== 'pending') (item.steps[step] as StepProgress).status = 'rolled-back';
	});
	return {verified, mergedFiles};
}

/**
 * What differs from the snapshot: a file the rollback restored that does not hold what it
 * wrote (its backup, or the merge for a file the operator changed since), a container not on
 * exactly its networks from before — with the same aliases and pinned addresses on each, and a
 * follower in a live namespace (source/membership.ts) — a network it removed that remains.
 * Files netmigrate never wrote, or left as the operator had them (`--on-conflict theirs`), are theirs.
 */
async function differencesFromBackup(engine: Engine, host: string, loaded: LoadedPlan, manifest: BackupManifest | undefined, actions: Action[]): Promise<string[]> {
	const differences: string[] = [];
	if (!manifest) return differences;
	const backedUp = new Map(manifest.files.map((file) => [file.path, file.sha256]));
	for (const [file, intended] of intendedFiles(actions)) {
		if (readFileState(file)?.sha256 !== intended) differences.push(`${path.relative(loaded.project.root, file)} differs from ${backedUp.get(file) === intended ? 'its backup' : 'the merge the rollback wrote'}`);
	}
	const now = await membershipRecordOf(engine, host, loaded.project.projectName, loaded.plan.target);
	differences.push(...membershipProblems(manifest.record ?? recordFromNames(manifest.membership), now));
	for (const action of actions) {
		if (action.kind === 'network.remove' && (await engine.inspectNetwork(action.network))) differences.push(`network ${action.network} still exists`);
	}
	return differences;
}

/**
 * How many addresses the recreates changed: compose gives a recreated container whatever address
 * the engine hands out next unless the stack pins one, so "as before" would be untrue of them.
 */
async function addressSummary(engine: Engine, loaded: LoadedPlan, manifest: BackupManifest | undefined): Promise<string[]> {
	if (!manifest?.addresses || loaded.plan.target === 'swarm') return [];
	const now = addressesOf(await stackContainers(engine, loaded.project.projectName, loaded.plan.target));
	const changed = changedAddresses(manifest.addresses, now, manifest.record);
	if (changed.length === 0) return ['every address as before'];
	const shown = changed.slice(0, 3).map((item) => `${item.container} ${item.before} → ${item.after} on ${item.network}`).join(', ');
	return [`${changed.length} address${changed.length === 1 ? '' : 'es'} changed, none pinned in the stack (a recreated container gets the engine's next free address): ${shown}${changed.length > 3 ? ', …' : ''}`];
}

/** The newest iteration that changed something and is not rolled back. */
export function chooseRollbackIteration(names: string[], progress: ProgressView, requested: number | undefined): number {
	const active = (name: string) => {
		const status = progress.iteration(name)?.status;
		return status !== undefined && status !== 'pending' && status !== 'rolled-back';
	};
	if (requested !== undefined) {
		if (requested < 1 || requested > names.length) throw new NetmigrateError(`the plan has ${names.length} iterations; there is no iteration ${requested}`, {code: 'bad-input'});
		const later = names.slice(requested).findIndex(active);
		if (later >= 0) {
			throw new NetmigrateError(`iteration ${requested + later + 1} (${names[requested + later]}) is applied after it`, {code: 'bad-input', hint: `roll back newest first: \`netmigrate rollback --iteration ${requested + later + 1}\``});
		}
		return requested - 1;
	}
	for (let index = names.length - 1; index >= 0; index--) if (active(names[index] as string)) return index;
	return -1;
}

/** The default routes after a rollback: on an engine on another machine, read by probes there (removed right after). */
async function routesNow(engine: Engine, host: string, project: string): Promise<DefaultRoutes> {
	if (host.startsWith('unix://')) return defaultRoutesOf(engine, host, project);
	const prober = new Prober(engine, project);
	try {
		return await defaultRoutesOf(engine, host, project, {prober});
	} finally {
		await prober.close();
	}
}
