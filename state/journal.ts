/**
 * The write-ahead journal: one JSON line per event, appended and fsync'd before the action
 * it announces is made. `intent` comes first, then `done` or `failed`; an intent with no
 * outcome is an action a crash interrupted. Rollback reads it newest first.
 *
 * Actions that run side by side share their fsyncs (a group commit): each writer appends its
 * line at once and waits for an fsync that started after its line was written; one fsync is in
 * flight at a time, and the next covers every line that arrived meanwhile. On Engine 28 an fsync
 * per entry cost 1.2× the bare engine API (bench/RESULTS.md); shared, N concurrent writers pay
 * far fewer than N. "Written before it is made" holds: `commit` resolves only once its entry is
 * on disk, and the executor starts the action only then.
 */
import {
	closeSync,
	constants,
	existsSync,
	fdatasync,
	fdatasyncSync,
	ftruncateSync,
	openSync,
	readFileSync,
	truncateSync,
	writeSync,
} from 'node:fs';
import {promisify} from 'node:util';
import path from 'node:path';
import type {Action} from '../source/actions.js';
import {NetmigrateError} from '../source/errors.js';
import {openStateFile, readStateFile, readWhole} from './nofollow.js';
import {privateFolder, statePaths, syncFolder} from './paths.js';

/** `planned` records a step's whole action list when it starts, so a resumed step replays exactly it. */
export type JournalPhase = 'planned' | 'intent' | 'done' | 'failed';

export type JournalEntry = {
	seq: number;
	at: string;
	run: 'apply' | 'rollback';
	iteration: string;
	step: string;
	id: string;
	phase: JournalPhase;
	action?: Action;
	actions?: Action[];
	durationMs?: number;
	/** A swarm service update's: how long the service had no running task (source/engine/swarm-downtime.ts). */
	downtimeMs?: number;
	error?: string;
};

/** Test-only crash injection: SIGKILL this process right after the k-th journal write. */
const crashAfter = Number(process.env.NETMIGRATE_TEST_CRASH_AFTER_JOURNAL_WRITE ?? 0);
/** Test-only: SIGKILL this process when it is about to journal that action id as done (the action happened, its outcome is lost). */
const crashBeforeDone = process.env.NETMIGRATE_TEST_CRASH_BEFORE_DONE_OF;
let writes = 0;

export type JournalOptions = {
	/** Makes the file's written data durable; tests inject one to count fsyncs or see what each covered. */
	fsync?: (fd: number) => Promise<void>;
};

const fdatasyncAsync = promisify(fdatasync);

export class Journal {
	private seq: number;
	private readonly file: string;
	private recent: {since: number; entries: JournalEntry[]} | undefined;
	private readonly fsync: (fd: number) => Promise<void>;
	/** The last seq an fsync that completed covers. */
	private durable: number;
	/** The fsync in flight, if any: writers that arrive meanwhile wait for it, then for the next. */
	private flushing: Promise<void> | undefined;

	get lastSeq(): number {
		return this.seq;
	}

	constructor(
		private readonly stackRoot: string,
		options: JournalOptions = {},
	) {
		const paths = statePaths(stackRoot);
		privateFolder(paths.root);
		this.file = paths.journal;
		this.seq = repairTornTail(stackRoot, this.file);
		this.durable = this.seq;
		this.fsync = options.fsync ?? fdatasyncAsync;
	}

	/**
	 * The entries after `since`, read from the file once per journal and kept current by
	 * `append`: a run asks for its own entries many times, and the file holds every run before it.
	 */
	since(since: number): JournalEntry[] {
		if (!this.recent || this.recent.since > since) this.recent = {since, entries: readJournal(this.stackRoot, since)};
		return since === this.recent.since ? this.recent.entries : this.recent.entries.filter((entry) => entry.seq > since);
	}

	/** Appends an entry and fsyncs it before returning, blocking: for the few entries written outside a run of actions (a step's plan). */
	append(entry: Omit<JournalEntry, 'seq' | 'at'>): JournalEntry {
		const full = this.write(entry);
		this.syncNow();
		this.crashAfterWrite(writes);
		return full;
	}

	/** Every entry written so far on disk, blocking. */
	private syncNow(): void {
		const fd = openSync(this.file, 'a', 0o600);
		try {
			fdatasyncSync(fd);
		} finally {
			closeSync(fd);
		}
		this.durable = this.seq;
	}

	/**
	 * Appends an entry and resolves once an fsync that covers it has completed — the action it
	 * announces may start then, not before. Concurrent callers share fsyncs (see the top of the file).
	 */
	async commit(entry: Omit<JournalEntry, 'seq' | 'at'>): Promise<JournalEntry> {
		const full = this.write(entry);
		const nth = writes;
		// The crash test kills right after write k is on disk, before any later writer can write: a
		// crash point is one write, as with append (waiting for the shared fsync let others in first).
		if (crashAfter > 0 && nth === crashAfter) {
			this.syncNow();
			this.crashAfterWrite(nth);
		}
		await this.durableThrough(full.seq);
		return full;
	}

	private write(entry: Omit<JournalEntry, 'seq' | 'at'>): JournalEntry {
		if (crashBeforeDone && entry.phase === 'done' && entry.id === crashBeforeDone) process.kill(process.pid, 'SIGKILL');
		const full: JournalEntry = {seq: ++this.seq, at: new Date().toISOString(), ...entry};
		const created = this.seq === 1 && !existsSync(this.file);
		// Never through a link, and 0600 whatever mode it was left at.
		const fd = openStateFile(this.file, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT, {private: true}) as number;
		try {
			writeSync(fd, `${JSON.stringify(full)}\n`);
		} finally {
			closeSync(fd);
		}
		if (created) syncFolder(path.dirname(this.file));
		this.recent?.entries.push(full);
		writes++;
		return full;
	}

	/** Waits for the fsync in flight (it may have started before `seq` was written), then starts or joins the next, until one covers `seq`. */
	private async durableThrough(seq: number): Promise<void> {
		while (this.durable < seq) {
			this.flushing ??= this.flush().finally(() => {
				this.flushing = undefined;
			});
			await this.flushing;
		}
	}

	/** One fsync, covering every entry written before it starts. */
	private async flush(): Promise<void> {
		const covers = this.seq;
		const fd = openSync(this.file, 'a', 0o600);
		try {
			await this.fsync(fd);
		} finally {
			closeSync(fd);
		}
		this.durable = Math.max(this.durable, covers);
	}

	/** The crash test's SIGKILL, once the k-th write is on disk and before the action it announces starts. */
	private crashAfterWrite(nth: number): void {
		if (crashAfter > 0 && nth === crashAfter) process.kill(process.pid, 'SIGKILL');
	}
}

/**
 * The last complete entry's seq. Only a torn last line — a prefix of an entry without its newline
 * (power lost mid-write: its action never started) — is cut off, so the next entry starts on a
 * line of its own instead of being glued to the fragment, which would hide it and everything
 * after it from every reader. A last entry that is whole but lacks its newline (an editor saved
 * the file so) is kept: it gets its newline. Anything else unterminated is damage, reported.
 */
function repairTornTail(stackRoot: string, file: string): number {
	const fd = openStateFile(file, constants.O_RDWR, {private: true});
	if (fd === undefined) return 0;
	try {
		const bytes = readWhole(fd);
		const end = bytes.lastIndexOf(0x0a) + 1;
		const tail = bytes.subarray(end).toString('utf8');
		if (tail.trim()) {
			if (entryOf(tail)) writeSync(fd, '\n', bytes.length);
			else if (isTorn(tail)) ftruncateSync(fd, end);
			else throw corruptJournal(file, bytes.subarray(0, end).toString('utf8').split('\n').length);
			fdatasyncSync(fd);
		}
	} finally {
		closeSync(fd);
	}
	return readJournal(stackRoot).at(-1)?.seq ?? 0;
}

/** A line as netmigrate writes one: an object with its seq, run, iteration and phase; undefined for anything else. */
function entryOf(line: string): JournalEntry | undefined {
	let parsed: unknown;
	try {
		parsed = JSON.parse(line);
	} catch {
		return undefined;
	}
	const entry = parsed as Partial<JournalEntry> | null;
	const valid =
		typeof entry === 'object' &&
		entry !== null &&
		!Array.isArray(entry) &&
		Number.isInteger(entry.seq) &&
		typeof entry.iteration === 'string' &&
		typeof entry.id === 'string' &&
		['planned', 'intent', 'done', 'failed'].includes(entry.phase as string) &&
		(entry.run === 'apply' || entry.run === 'rollback');
	return valid ? (entry as JournalEntry) : undefined;
}

/** What a write cut off by power loss leaves: the start of an entry line, with no newline. */
function isTorn(tail: string): boolean {
	return tail.startsWith('{"seq":') || '{"seq":'.startsWith(tail);
}

/** Every entry (after `since`); a torn last line (the process died mid-write, no newline) is ignored. */
export function readJournal(stackRoot: string, since = 0): JournalEntry[] {
	const file = statePaths(stackRoot).journal;
	const text = readStateFile(file)?.toString('utf8');
	if (text === undefined) return [];
	const entries: JournalEntry[] = [];
	const lines = text.split('\n');
	for (const [index, line] of lines.entries()) {
		if (!line.trim()) continue;
		// Every line starts with its seq: older entries are skipped without parsing them.
		const seq = /^\{"seq":(\d+),/.exec(line)?.[1];
		if (seq !== undefined && Number(seq) <= since) continue;
		const entry = entryOf(line);
		if (entry) entries.push(entry);
		// Only the last line, unterminated and the start of an entry, can be torn: its action never started.
		else if (!(index === lines.length - 1 && isTorn(line))) throw corruptJournal(file, index + 1);
	}
	return entries;
}

export type JournaledAction = {id: string; step: string; action: Action; outcome: 'done' | 'failed' | 'unknown'; run: 'apply' | 'rollback'};

/** A damaged line that is not a torn last write: cutting the journal there could hide an action that happened. */
function corruptJournal(file: string, line: number): NetmigrateError {
	return new NetmigrateError(`the journal is damaged at line ${line}: it is not a journal entry netmigrate wrote`, {
		where: {file, line},
		code: 'bad-input',
		hint: 'nothing was changed; restore the journal from a copy, or repair that line by hand so it is again the one JSON entry netmigrate wrote (a line that cannot be repaired must not be deleted: its action may have happened); netmigrate will not resume or roll back from a journal it cannot read whole',
	});
}
