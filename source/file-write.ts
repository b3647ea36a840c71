/**
 * The `file.write` action: a compose or `.env` file replaced by what the step planned, only if
 * it still holds what the step planned against. The check and the write race an operator who
 * saves the same file: the check reads and stats from one descriptor, and the write compares
 * again at the swap (source/engine/files.ts writeFileAtomic), so a save that lands in between is
 * detected — their version stays in place, a copy of it is kept in `.netmigrate/replaced/`, and
 * the action fails with where the copy is, as the check before it would have.
 */
import type {FileWrite} from './actions.js';
import type {RunKind} from './domain.js';
import {readFileState, writeFileAtomic} from './engine/files.js';
import {NetmigrateError, wayOn} from './errors.js';

/** Saves what a file held when a write found it changed, and returns where the copy is. */
export type KeepReplaced = (file: string, content: Buffer) => string;

/** Writes the planned content; false when the file already holds it (a replay). `beforeSwap`: tests only (writeFileAtomic's). */
export function applyFileWrite(action: FileWrite, run: RunKind, keepReplaced?: KeepReplaced, beforeSwap?: () => void): boolean {
	const current = readFileState(action.path);
	if (current?.sha256 === action.sha256After) return false;
	if (current && current.sha256 !== action.sha256Before) throw changedOutside(action.path, run);
	const outcome = writeFileAtomic(action.path, action.content, {
		mode: action.mode,
		...(current ? {uid: current.uid, gid: current.gid} : {}),
		expect: current?.sha256 ?? null,
		...(beforeSwap ? {beforeSwap} : {}),
	});
	if (outcome.written) return true;
	const kept = outcome.theirs && keepReplaced ? keepReplaced(action.path, outcome.theirs) : undefined;
	throw new NetmigrateError(
		`${action.path} changed while netmigrate was writing it (${outcome.why}); netmigrate's change was not made, the file is as they left it`,
		{
			where: {file: action.path},
			hint: `${kept ? `a copy of their version is in ${kept}; ` : ''}let that edit finish, then ${run === 'rollback' ? `put the file back as netmigrate wrote it, ${wayOn(run)}` : 'roll back this iteration, or put the file back as it was and resume'}`,
		},
	);
}

function changedOutside(file: string, run: RunKind): NetmigrateError {
	return new NetmigrateError(`${file} was changed outside netmigrate since this step was planned`, {
		where: {file},
		hint:
			run === 'rollback'
				? `put the file back as netmigrate wrote it, ${wayOn(run)}`
				: 'roll back this iteration (the backup is intact), or put the file back as it was and resume',
	});
}
