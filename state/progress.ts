/**
 * Progress of each iteration and its steps, in `progress.json` of the state folder, so a run
 * cut off by a dropped SSH session resumes where it stopped. Each save writes the whole file
 * atomically (temp file, fsync, rename, fsync the folder: a crash leaves the old or the new
 * one), 0600; writes happen only under the run lock, so one process writes at a time. (It was
 * kept with `conf`, which does the same but pulled 390 kB of schema validators into the
 * wizard's start-up.)
 */
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {NetmigrateError} from '../source/errors.js';
import {writeFileAtomic} from '../source/engine/files.js';
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

/** The iterations saved in `file`; none when it does not exist yet. */
function readIterations(file: string): Record<string, IterationProgress> {
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
		throw error;
	}
	try {
		return (JSON.parse(text) as ProgressFile).iterations ?? {};
	} catch {
		throw new NetmigrateError(`${file} is not valid JSON`, {where: {file}, hint: 'netmigrate never leaves it half-written; restore it from a copy, or repair it by hand (the journal beside it has every action)'});
	}
}

/** The progress as saved, or none yet — without creating `.netmigrate/` (a dry run leaves no trace). */
export function readProgress(stackRoot: string): ProgressView {
	const iterations = readIterations(path.join(statePaths(stackRoot).root, 'progress.json'));
	return {iteration: (name) => iterations[name], all: () => iterations};
}

export class Progress {
	private readonly file: string;
	private iterations: Record<string, IterationProgress>;

	constructor(stackRoot: string) {
		this.file = path.join(privateFolder(statePaths(stackRoot).root), 'progress.json');
		this.iterations = readIterations(this.file);
	}

	iteration(name: string): IterationProgress | undefined {
		return this.iterations[name];
	}

	all(): Record<string, IterationProgress> {
		return this.iterations;
	}

	save(progress: IterationProgress): void {
		this.write({...this.iterations, [progress.name]: progress});
	}

	/** Forgets an iteration's run: it never changed anything (its preflight refused), so the next is a new run. */
	forget(name: string): void {
		const {[name]: _gone, ...rest} = this.iterations;
		this.write(rest);
	}

	private write(iterations: Record<string, IterationProgress>): void {
		writeFileAtomic(this.file, `${JSON.stringify({iterations}, undefined, '\t')}\n`, {mode: 0o600});
		this.iterations = iterations;
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
