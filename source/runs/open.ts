/**
 * What every run opens before it acts, in one place for apply and rollback: the plan read
 * against the stack's progress, the lock (a stale one taken over, with a warning), the
 * engine, the journal and the executor's context — and closed again, whatever happens.
 */
import {readInputText} from '../input-file.js';
import path from 'node:path';
import type {Action} from '../actions.js';
import type {Mode, OnConflict, RunKind} from '../domain.js';
import type {ComposeProject} from '../engine/compose.js';
import {Engine} from '../engine/docker.js';
import type {Emit} from '../events.js';
import type {ExecutorContext} from '../executor.js';
import {loadPlan, parsePlan, type LoadedPlan} from '../plan/load.js';
import type {SavedPlan} from '../plan/saved.js';
import {Journal} from '../../state/journal.js';
import {saveReplacedCopy} from '../../state/drift.js';
import {acquireLock} from '../../state/lock.js';
import {Progress, readProgress, type ProgressView} from '../../state/progress.js';

export type RunOptions = {
	planFile: string;
	host: string;
	/** 1-based; default: the next iteration not done (apply) or the newest applied one (rollback). */
	iteration?: number;
	mode?: Mode;
	emit: Emit;
	/** Asked before each step that changes the host; answering false stops (state saved). Absent: --yes. */
	confirm?: (step: {name: string; title: string}, actions: Action[]) => Promise<boolean>;
	stopRequested?: () => boolean;
	probeImage?: string;
	/** Apply: false probes the declared checks only, not every pair of namespaces (`--no-matrix`). */
	matrix?: boolean;
	concurrency?: number;
	/** Rollback: a file the operator changed on or beside lines netmigrate changed — stop (default), keep theirs, or restore the backup after saving theirs. */
	onConflict?: OnConflict;
	/** Apply: the plan the operator reviewed (`apply FILE`, the wizard's review), run exactly or refused as stale; `file`: where it was saved. */
	reviewed?: {plan: SavedPlan; file?: string};
};

/** The stack root a plan file points at, without validating the plan against the files. */
export function stackRootOf(planFile: string): string {
	const {plan} = parsePlan(planFile, readInputText(planFile));
	return path.resolve(path.dirname(planFile), plan.stack.root);
}

/**
 * The plan, validated against the stack as its progress says it is: checks that only hold
 * before an iteration ran (a port it unpublishes is still published) are skipped for the
 * iterations already started or done — plus `also`, the one about to run.
 */
export function loadStackPlan(planFile: string, also?: string): LoadedPlan {
	return loadWithProgress(planFile, readProgress, also).loaded;
}

/** For apply and rollback, which write progress. */
export function loadForRun(planFile: string): {loaded: LoadedPlan; progress: Progress} {
	return loadWithProgress(planFile, (root) => new Progress(root));
}

export function loadWithProgress<P extends ProgressView>(
	planFile: string,
	open: (root: string) => P,
	also?: string,
): {loaded: LoadedPlan; progress: P} {
	let root: string;
	try {
		root = stackRootOf(planFile);
	} catch (error) {
		// The full load reports missing files and bad plans with every problem.
		loadPlan(planFile);
		throw error;
	}
	const progress = open(root);
	const started = new Set(
		Object.values(progress.all())
			.filter((item) => item.status !== 'pending' && item.status !== 'rolled-back')
			.map((item) => item.name),
	);
	if (also !== undefined) started.add(also);
	return {loaded: loadPlan(planFile, {startedIterations: started}), progress};
}

/** Every -f file (the override included), env file and profile the model read: compose must see the stack as netmigrate did. */
export function composeProjectOf({project}: LoadedPlan, host: string): ComposeProject {
	return {
		host,
		directory: project.projectDirectory,
		files: project.composeFiles,
		name: project.projectName,
		envFiles: project.envFiles.map((file) => file.path),
		profiles: project.profiles,
	};
}

/** A run's handles on the host, open while its body runs. */
export type OpenRun = {
	engine: Engine;
	journal: Journal;
	executor: (iteration: string, run: RunKind) => ExecutorContext;
};

/**
 * Takes the stack's lock, connects to the engine and opens the journal, runs `body`, and
 * releases the lock however the body ends (a crash leaves a stale lock the next run takes over).
 */
export async function withRun<T>(
	options: RunOptions,
	loaded: LoadedPlan,
	command: string,
	body: (open: OpenRun) => Promise<T>,
): Promise<T> {
	const root = loaded.project.root;
	const lock = acquireLock(root, command);
	if (lock.tookOverStale)
		options.emit({
			type: 'log',
			level: 'warn',
			message: `took over a stale lock left by pid ${lock.tookOverStale.pid} (${lock.tookOverStale.command}): ${lock.tookOverStale.why}`,
		});
	try {
		// The journal first: a damaged one is reported whether or not the engine answers.
		const journal = new Journal(root);
		const engine = new Engine(options.host);
		await engine.version();
		const compose = composeProjectOf(loaded, options.host);
		const executor = (iteration: string, run: RunKind): ExecutorContext => ({
			engine,
			compose,
			journal,
			iteration,
			run,
			emit: options.emit,
			stopRequested: options.stopRequested ?? (() => false),
			concurrency: options.concurrency ?? 8,
			keepReplaced: (file, content) => saveReplacedCopy(root, iteration, file, content),
		});
		return await body({engine, journal, executor});
	} finally {
		lock.release();
	}
}
