/**
 * Reading the journal back: the actions of an iteration's runs with their outcomes, the list a
 * step recorded when it started, each action id's last phase. Pure functions of the entries
 * `readJournal` (journal.ts) returns.
 */
import {replayedIntent, type Action} from '../source/actions.js';
import type {JournaledAction, JournalEntry, JournalPhase} from './journal.js';

/** The actions of one iteration's runs, in the order their intents were written, with their outcome. */
export function actionsOf(entries: JournalEntry[], iteration: string, run: 'apply' | 'rollback', since = 0): JournaledAction[] {
	const byId = new Map<string, JournaledAction>();
	for (const entry of entries) {
		if (entry.iteration !== iteration || entry.run !== run || entry.seq <= since) continue;
		if (entry.phase === 'intent' && entry.action) {
			const first = byId.get(entry.id)?.action;
			byId.set(entry.id, {
				id: entry.id,
				step: entry.step,
				action: first ? replayedIntent(first, entry.action) : entry.action,
				outcome: 'unknown',
				run,
			});
		} else {
			const known = byId.get(entry.id);
			if (known) known.outcome = entry.phase === 'done' ? 'done' : 'failed';
		}
	}
	return [...byId.values()];
}

/** The action list a step recorded when it started, among `entries` (one run's, newest last). */
export function plannedActions(entries: JournalEntry[], iteration: string, run: 'apply' | 'rollback', step: string): Action[] | undefined {
	for (let index = entries.length - 1; index >= 0; index--) {
		const entry = entries[index] as JournalEntry;
		if (entry.phase === 'planned' && entry.iteration === iteration && entry.run === run && entry.step === step)
			return entry.actions ?? [];
	}
	return undefined;
}

/** Outcome of each action id of a run, among `entries` (one run's). */
export function outcomes(entries: JournalEntry[], iteration: string, run: 'apply' | 'rollback', since = 0): Map<string, JournalPhase> {
	const result = new Map<string, JournalPhase>();
	for (const entry of entries) {
		if (entry.seq <= since || entry.iteration !== iteration || entry.run !== run || entry.phase === 'planned') continue;
		result.set(entry.id, entry.phase);
	}
	return result;
}
