/**
 * Progress of each iteration and its steps, in `progress.json` of the state folder, so a run
 * cut off by a dropped SSH session resumes where it stopped. Each save writes the whole file
 * atomically (temp file, fsync, rename, fsync the folder: a crash leaves the old or the new
 * one), 0600, never through a link (state/nofollow.ts); it is checked on every read
 * (progress-schema.ts); writes happen only under the run lock, so one process writes at a time. (It was
 * kept with `conf`, which does the same but pulled 390 kB of schema validators into the
 * wizard's start-up.)
 */
import {closeSync, constants} from 'node:fs';
import path from 'node:path';
import {openStateFile, readStateFile} from './nofollow.js';
import {checkedIterations, damagedProgress} from './progress-schema.js';
import type {CheckResult, HealthResult, IterationReachability, Mode, MovedRoute} from '../source/domain.js';
import {privateFolder, replacePrivateFile, statePaths} from './paths.js';

export type StepStatus = 'pending' | 'running' | 'done' | 'failed' | 'rolled-back' | 'skipped';

export type IterationStatus = 'pending' | 'running' | 'done' | 'failed' | 'rolling-back' | 'rolled-back';

export type StepProgress = {
	status: StepStatus;
	startedAt?: string;
	finishedAt?: string;
	error?: string;
	hint?: string;
	done?: number;
	total?: number;
};

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
	/** Every pair of namespaces probed by the checks step, and what the iteration cut and opened. */
	reachability?: IterationReachability;
	/** Containers whose default route the iteration moved to another network. */
	movedRoutes?: MovedRoute[];
	/** Services a plain `docker compose up -d` would recreate after this iteration (live mode leaves them): `netmigrate settle` does it one at a time. */
	settlePending?: string[];
	/** Journal entries of an interrupted rollback start after this sequence number. */
	rollbackJournalStart?: number;
};

/** What the read-only commands need of the progress: reading it creates no state folder. */
export type ProgressView = Pick<Progress, 'iteration' | 'all'>;

/** The iterations saved in `file`, checked; none when it does not exist yet. `tighten`: set it to 0600 (a writer opening it). */
function readIterations(file: string, tighten = false): Record<string, IterationProgress> {
	if (tighten) {
		const fd = openStateFile(file, constants.O_RDONLY, {private: true});
		if (fd !== undefined) closeSync(fd);
	}
	const content = readStateFile(file);
	if (content === undefined) return {};
	let parsed: unknown;
	try {
		parsed = JSON.parse(content.toString('utf8'));
	} catch {
		throw damagedProgress(file, 'it is not valid JSON');
	}
	return checkedIterations(file, parsed) as Record<string, IterationProgress>;
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
		this.iterations = readIterations(this.file, true);
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
		replacePrivateFile(this.file, `${JSON.stringify({iterations}, undefined, '\t')}\n`);
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
