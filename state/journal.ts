/**
 * The write-ahead journal: one JSON line per event, appended and fsync'd before the action
 * it announces is made. `intent` comes first, then `done` or `failed`; an intent with no
 * outcome is an action a crash interrupted. Rollback reads it newest first.
 */
import {closeSync, fsyncSync, openSync, readFileSync, writeSync} from 'node:fs';
import type {Action} from '../source/actions.js';
import {privateFolder, statePaths} from './paths.js';

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
	error?: string;
};

/** Test-only crash injection: SIGKILL this process right after the k-th journal write. */
const crashAfter = Number(process.env.NETMIGRATE_TEST_CRASH_AFTER_JOURNAL_WRITE ?? 0);
let writes = 0;

export class Journal {
	private seq: number;
	private readonly file: string;

	get lastSeq(): number {
		return this.seq;
	}

	constructor(stackRoot: string) {
		const paths = statePaths(stackRoot);
		privateFolder(paths.root);
		this.file = paths.journal;
		const existing = readJournal(stackRoot);
		this.seq = existing.at(-1)?.seq ?? 0;
	}

	append(entry: Omit<JournalEntry, 'seq' | 'at'>): JournalEntry {
		const full: JournalEntry = {seq: ++this.seq, at: new Date().toISOString(), ...entry};
		const fd = openSync(this.file, 'a', 0o600);
		try {
			writeSync(fd, `${JSON.stringify(full)}\n`);
			fsyncSync(fd);
		} finally {
			closeSync(fd);
		}
		writes++;
		if (crashAfter > 0 && writes === crashAfter) process.kill(process.pid, 'SIGKILL');
		return full;
	}
}

/** Every entry; a torn last line (the process died mid-write) is ignored. */
export function readJournal(stackRoot: string): JournalEntry[] {
	let text: string;
	try {
		text = readFileSync(statePaths(stackRoot).journal, 'utf8');
	} catch {
		return [];
	}
	const entries: JournalEntry[] = [];
	for (const line of text.split('\n')) {
		if (!line.trim()) continue;
		try {
			entries.push(JSON.parse(line) as JournalEntry);
		} catch {
			// Only the last line can be torn; anything after it was never written.
			break;
		}
	}
	return entries;
}

export type JournaledAction = {id: string; step: string; action: Action; outcome: 'done' | 'failed' | 'unknown'; run: 'apply' | 'rollback'};

/** The actions of one iteration's runs, in the order their intents were written, with their outcome. */
export function actionsOf(entries: JournalEntry[], iteration: string, run: 'apply' | 'rollback', since = 0): JournaledAction[] {
	const byId = new Map<string, JournaledAction>();
	for (const entry of entries) {
		if (entry.iteration !== iteration || entry.run !== run || entry.seq <= since) continue;
		if (entry.phase === 'intent' && entry.action) byId.set(entry.id, {id: entry.id, step: entry.step, action: entry.action, outcome: 'unknown', run});
		else {
			const known = byId.get(entry.id);
			if (known) known.outcome = entry.phase === 'done' ? 'done' : 'failed';
		}
	}
	return [...byId.values()];
}

/** The action list a step recorded when it started in this run, if it did. */
export function plannedActions(entries: JournalEntry[], iteration: string, run: 'apply' | 'rollback', step: string, since: number): Action[] | undefined {
	for (let index = entries.length - 1; index >= 0; index--) {
		const entry = entries[index] as JournalEntry;
		if (entry.seq <= since) break;
		if (entry.phase === 'planned' && entry.iteration === iteration && entry.run === run && entry.step === step) return entry.actions ?? [];
	}
	return undefined;
}

/** Outcome of each action id of a run since `since`. */
export function outcomes(entries: JournalEntry[], iteration: string, run: 'apply' | 'rollback', since: number): Map<string, JournalPhase> {
	const result = new Map<string, JournalPhase>();
	for (const entry of entries) {
		if (entry.seq <= since || entry.iteration !== iteration || entry.run !== run || entry.phase === 'planned') continue;
		result.set(entry.id, entry.phase);
	}
	return result;
}
