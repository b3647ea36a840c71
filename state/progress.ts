/**
 * Progress of each iteration and its steps, persisted through `conf` in the state folder so a
 * run cut off by a dropped SSH session resumes where it stopped. conf writes atomically but
 * is not safe across processes; every write happens under the run lock.
 */
import {readFileSync} from 'node:fs';
import path from 'node:path';
import Conf from 'conf';
import type {CheckResult, HealthResult, Mode, MovedRoute} from '../source/domain.js';
import {privateFolder, statePaths} from './paths.js';

export type StepStatus = 'pending' | 'running' | 'done' | 'failed' | 'rolled-back' | 'skipped';

export type IterationStatus = 'pending' | 'running' | 'done' | 'failed' | 'rolling-back' | 'rolled-back';

export type StepProgress = {status: StepStatus; startedAt?: string; finishedAt?: string; error?: string; hint?: string; done?: number; total?: number};

export type IterationProgress = {
	name: string;
	index: number;
	status: IterationStatus;
	mode: Mode;
	operator: string;
	toolVersion: string;
	startedAt: string;
	finishedAt?: string;
	/** Journal entries of this iteration's run start after this sequence number. */
	journalStart: number;
	steps: Record<string, StepProgress>;
	report?: string;
	error?: string;
	checks?: CheckResult[];
	health?: HealthResult[];
	/** Containers whose default route the iteration moved to another network. */
	movedRoutes?: MovedRoute[];
	/** Services a plain `docker compose up -d` would recreate after this iteration (live mode leaves them): `netmigrate settle` does it one at a time. */
	settlePending?: string[];
	/** Journal entries of an interrupted rollback start after this sequence number. */
	rollbackJournalStart?: number;
};

type ProgressFile = {iterations: Record<string, IterationProgress>};

/** What the read-only commands need of the progress: reading it creates no state folder. */
export type ProgressView = Pick<Progress, 'iteration' | 'all'>;

/** The progress as saved, or none yet — without creating `.netmigrate/` (a dry run leaves no trace). */
export function readProgress(stackRoot: string): ProgressView {
	let iterations: Record<string, IterationProgress> = {};
	try {
		iterations = (JSON.parse(readFileSync(path.join(statePaths(stackRoot).root, 'progress.json'), 'utf8')) as ProgressFile).iterations ?? {};
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
	}
	return {iteration: (name) => iterations[name], all: () => iterations};
}

export class Progress {
	private readonly store: Conf<ProgressFile>;

	constructor(stackRoot: string) {
		const folder = privateFolder(statePaths(stackRoot).root);
		this.store = new Conf<ProgressFile>({
			cwd: folder,
			configName: 'progress',
			configFileMode: 0o600,
			defaults: {iterations: {}},
			accessPropertiesByDotNotation: false,
			clearInvalidConfig: false,
		} as never);
	}

	iteration(name: string): IterationProgress | undefined {
		return this.store.get('iterations')[name];
	}

	all(): Record<string, IterationProgress> {
		return this.store.get('iterations');
	}

	save(progress: IterationProgress): void {
		const iterations = {...this.store.get('iterations'), [progress.name]: progress};
		this.store.set('iterations', iterations);
	}

	/** Forgets an iteration's run: it never changed anything (its preflight refused), so the next is a new run. */
	forget(name: string): void {
		const {[name]: _gone, ...rest} = this.store.get('iterations');
		this.store.set('iterations', rest);
	}

	update(name: string, change: (progress: IterationProgress) => void): IterationProgress {
		const current = this.iteration(name);
		if (!current) throw new Error(`no progress for iteration ${name}`);
		const copy = structuredClone(current);
		change(copy);
		this.save(copy);
		return copy;
	}

	setStep(name: string, step: string, change: Partial<StepProgress>): void {
		this.update(name, (progress) => {
			progress.steps[step] = {...(progress.steps[step] ?? {status: 'pending'}), ...change};
		});
	}
}
