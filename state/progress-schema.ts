/**
 * What `progress.json` must hold to be read: the fields every command relies on (an iteration's
 * status, its steps and where its journal entries start), checked with zod on every read, so a
 * damaged or hand-edited file is reported — naming the file, the iteration and the field — instead
 * of failing later as "Cannot read properties of null". Fields netmigrate only shows (checks,
 * health, moved routes) pass through as they are: a future version's additions still read.
 */
import * as z from 'zod/mini';
import {en} from 'zod/locales';
import {NetmigrateError} from '../source/errors.js';

const stepStatus = z.enum(['pending', 'running', 'done', 'failed', 'rolled-back', 'skipped']);
const iterationStatus = z.enum(['pending', 'running', 'done', 'failed', 'rolling-back', 'rolled-back']);
const time = z.string();

const stepSchema = z.looseObject({
	status: stepStatus,
	startedAt: z.optional(time),
	finishedAt: z.optional(time),
	done: z.optional(z.number()),
	total: z.optional(z.number()),
});

const iterationSchema = z.looseObject({
	name: z.string(),
	index: z.number().check(z.int(), z.nonnegative()),
	status: iterationStatus,
	mode: z.enum(['live', 'recreate']),
	operator: z.string(),
	toolVersion: z.string(),
	startedAt: time,
	journalStart: z.number().check(z.int(), z.nonnegative()),
	steps: z.record(z.string(), stepSchema),
	rollbackJournalStart: z.optional(z.number().check(z.int(), z.nonnegative())),
	settlePending: z.optional(z.array(z.string())),
});

const progressSchema = z.looseObject({iterations: z._default(z.record(z.string(), iterationSchema), {})});

const english = en();

/** The iterations of a parsed progress.json, or an error naming the first thing wrong and the way out. */
export function checkedIterations(file: string, parsed: unknown): Record<string, unknown> {
	const result = progressSchema.safeParse(parsed, {error: english.localeError});
	if (!result.success) {
		const issue = result.error.issues[0];
		const at = issue?.path.map(String) ?? [];
		const where =
			at[0] === 'iterations' && at[1]
				? `iteration ${at[1]}${at.length > 2 ? `, ${at.slice(2).join('.')}` : ''}`
				: at.join('.') || 'the whole file';
		throw damagedProgress(file, `${where}: ${issue?.message ?? 'not what netmigrate writes'}`);
	}
	for (const [key, record] of Object.entries(result.data.iterations)) {
		if (record.name !== key) throw damagedProgress(file, `iteration ${key}: the record is iteration ${record.name}'s`);
	}
	return result.data.iterations;
}

export function damagedProgress(file: string, what: string): NetmigrateError {
	return new NetmigrateError(`progress.json is damaged: ${what}`, {
		where: {file},
		code: 'bad-input',
		hint: `netmigrate writes this file whole and never leaves it half-written, so it was edited or damaged: restore it from a copy, or correct that field (the journal beside it, journal.jsonl, records every action); if no iteration has changed the host yet, move it aside (\`mv ${file} ${file}.damaged\`) and the next run starts afresh`,
	});
}
