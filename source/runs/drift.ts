/**
 * A rollback over files the operator changed since the apply. A drifted file's restoring
 * writes (one per netmigrate write, newest first) become at most one write, from the file as
 * it is now: to the merge that undoes netmigrate's edits and keeps the operator's, or — where
 * both changed the same lines — what `--on-conflict` chose. The rewritten list is journaled
 * before anything changes, so a resumed rollback replays exactly it. Files that did not drift
 * keep their restoring writes as they are. Pure: the files' bytes are given.
 */
import path from 'node:path';
import type {Action, FileWrite} from '../actions.js';
import type {OnConflict} from '../domain.js';
import {mergeDrift, type DriftConflict, type DriftMerge} from '../drift.js';
import {NetmigrateError} from '../errors.js';
import {sha256} from '../hash.js';

/** A file netmigrate wrote that holds neither what it left nor a step back from that. */
export type DriftedFile = {path: string; writes: FileWrite[]; current: Buffer | undefined; merge: DriftMerge};

/** What the rollback does with one drifted file, as the preview and the run say it; `file` relative to the stack. */
export type DriftNote = {file: string; outcome: 'merged' | 'conflict' | 'kept' | 'backup'; lines: number[]; message: string};

export type DriftPlan = {
	actions: Action[];
	notes: DriftNote[];
	/** The operator's files to save before the backup goes over them (`--on-conflict backup`). */
	copies: Array<{file: string; content: Buffer}>;
};

export const keepingChanges = 'keeping your changes since the apply';

/** The rollback's restoring writes of each file, newest first (the order a rollback runs them). */
function writesByFile(actions: Action[]): Map<string, FileWrite[]> {
	const byFile = new Map<string, FileWrite[]>();
	for (const action of actions) if (action.kind === 'file.write') byFile.set(action.path, [...(byFile.get(action.path) ?? []), action]);
	return byFile;
}

/**
 * The files changed since netmigrate wrote them, each with its merge: base is what netmigrate
 * left (the newest write's text), ours what the file held before its first write. A file one
 * step back (a crash cut the apply between two writes of it) has not drifted.
 */
export function driftedFiles(actions: Action[], read: (file: string) => Buffer | undefined): DriftedFile[] {
	return [...writesByFile(actions)].flatMap(([file, writes]) => {
		const newest = writes[0] as FileWrite;
		const current = read(file);
		const hash = current && sha256(current);
		if (hash === newest.sha256Before || hash === newest.sha256After) return [];
		return [{path: file, writes, current, merge: mergeDrift((writes.at(-1) as FileWrite).content, newest.previous, current)}];
	});
}

export type DriftSettings = {onConflict: OnConflict; root: string; iteration: string};

/** The rollback's actions with each drifted file's writes replaced as its merge and `onConflict` say. */
export function keepDrift(actions: Action[], drifted: DriftedFile[], {onConflict, root, iteration}: DriftSettings): DriftPlan {
	let result = actions;
	const notes: DriftNote[] = [];
	const copies: DriftPlan['copies'] = [];
	for (const file of drifted) {
		const relative = path.relative(root, file.path);
		if (file.merge.kind === 'clean') {
			result = replaceWrites(result, file.path, restoringWrite(file, file.merge.merged, keepingChanges));
			notes.push({
				file: relative,
				outcome: 'merged',
				lines: [],
				message: `${relative} changed since the apply: netmigrate's edits are undone, your changes kept`,
			});
			continue;
		}
		const lines = file.merge.lines.map((conflict) => conflict.line);
		const conflict = `${relative} ${conflictReason(file.merge)}`;
		if (onConflict === 'stop') notes.push({file: relative, outcome: 'conflict', lines, message: conflict});
		else if (onConflict === 'theirs') {
			result = replaceWrites(result, file.path, undefined);
			notes.push({
				file: relative,
				outcome: 'kept',
				lines,
				message: `${conflict}: kept as you left it (its network changes on the engine are still undone)`,
			});
		} else {
			const saved = file.current ? `, your copy saved under .netmigrate/drift/${iteration}/ first` : '';
			result = replaceWrites(
				result,
				file.path,
				restoringWrite(file, (file.writes.at(-1) as FileWrite).content, `from the backup${saved}`),
			);
			if (file.current) copies.push({file: file.path, content: file.current});
			notes.push({file: relative, outcome: 'backup', lines, message: `${conflict}: restored from the backup${saved}`});
		}
	}
	return {actions: result, notes, copies};
}

/** One write from the file as it is now (or missing) to `content`, in place of the file's restoring writes. */
function restoringWrite(file: DriftedFile, content: string, how: string): FileWrite {
	const newest = file.writes[0] as FileWrite;
	const what = file.writes.map((write) => write.reason.replace(/^restore /, '')).join(', ');
	const current = file.current ?? Buffer.alloc(0);
	return {
		...newest,
		sha256Before: sha256(current),
		sha256After: sha256(content),
		previous: current.toString('utf8'),
		content,
		reason: `restore ${what}, ${how}`,
	};
}

/** `actions` with `file`'s writes gone, `replacement` (if any) where the first of them was. */
function replaceWrites(actions: Action[], file: string, replacement: FileWrite | undefined): Action[] {
	const first = actions.findIndex((action) => action.kind === 'file.write' && action.path === file);
	return actions.flatMap((action, index) =>
		action.kind === 'file.write' && action.path === file ? (index === first && replacement ? [replacement] : []) : [action],
	);
}

function conflictReason(merge: Exclude<DriftMerge, {kind: 'clean'}>): string {
	switch (merge.reason) {
		case 'deleted':
			return 'was deleted since the apply';
		case 'not-text':
			return 'is no longer UTF-8 text, so its lines cannot be merged';
		case 'same-lines':
			return `changed since the apply on or beside the lines netmigrate changed (${merge.lines.map(lineRange).join(', ')})`;
	}
}

function lineRange(conflict: DriftConflict): string {
	return conflict.current.length > 1 ? `lines ${conflict.line}-${conflict.line + conflict.current.length - 1}` : `line ${conflict.line}`;
}

/** The rollback stops before any change: each conflicting file with its lines, and the ways out. */
export function conflictError(notes: DriftNote[], {root, iteration}: Pick<DriftSettings, 'root' | 'iteration'>): NetmigrateError {
	const conflicts = notes.filter((note) => note.outcome === 'conflict');
	const first = conflicts[0] as DriftNote;
	return new NetmigrateError(`${conflicts.map((note) => note.message).join('; ')}; nothing was rolled back`, {
		where: {file: path.join(root, first.file), ...(first.lines[0] === undefined ? {} : {line: first.lines[0]})},
		hint: `restoring the backup there would lose your change. Keep your file as it is (the engine's networks are still put back): \`netmigrate rollback --on-conflict theirs\`; restore the backup, saving your copy in .netmigrate/drift/${iteration}/ first: \`netmigrate rollback --on-conflict backup\`; or undo netmigrate's lines by hand (the backup is in .netmigrate/backups/${iteration}/) and roll back again`,
	});
}
