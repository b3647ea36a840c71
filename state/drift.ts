/**
 * The operator's copies of files a rollback restores over their changes (`--on-conflict
 * backup`): `.netmigrate/drift/<iteration>/<path in the stack>.<time>`, 0600 in 0700 folders
 * like the backups (the files hold the stack's secrets), written before the rollback journals
 * anything, so the copy exists before the file is overwritten. Beside them, in `replaced/`, what
 * a file held when an operator's save raced netmigrate's write of it.
 */
import path from 'node:path';
import {NetmigrateError} from '../source/errors.js';
import {privateFolder, statePaths, syncFolder, writeNewPrivateFile} from './paths.js';

/** Saves `content` as the operator's copy of `file` and returns where it went. */
export function saveDriftCopy(stackRoot: string, iteration: string, file: string, content: Buffer, at = new Date()): string {
	return saveCopy(statePaths(stackRoot).drift, stackRoot, iteration, file, content, at, '; nothing was rolled back');
}

/**
 * Saves what `file` held when netmigrate's write of it found it changed at the last moment (an
 * operator's save racing the write: source/file-write.ts), in `.netmigrate/replaced/<iteration>/`,
 * and returns where it went.
 */
export function saveReplacedCopy(stackRoot: string, iteration: string, file: string, content: Buffer, at = new Date()): string {
	return saveCopy(statePaths(stackRoot).replaced, stackRoot, iteration, file, content, at, '');
}

function saveCopy(
	base: string,
	stackRoot: string,
	iteration: string,
	file: string,
	content: Buffer,
	at: Date,
	consequence: string,
): string {
	// A file outside the stack folder (an include from ../) must still land inside the state folder.
	const inside = path
		.relative(stackRoot, file)
		.split(path.sep)
		.map((part) => (part === '..' ? '__' : part));
	let folder = privateFolder(base);
	for (const part of [iteration, ...inside.slice(0, -1)]) folder = privateFolder(path.join(folder, part));
	const copy = path.join(folder, `${inside.at(-1) as string}.${at.toISOString().replaceAll(':', '-')}`);
	try {
		writeNewPrivateFile(copy, content);
	} catch (error) {
		if (error instanceof NetmigrateError) throw error;
		throw new NetmigrateError(`could not save a copy of ${file} as ${copy}: ${(error as Error).message}${consequence}`, {
			hint: 'free some space or fix the permissions of .netmigrate/, then run the same command again',
		});
	}
	syncFolder(folder);
	return copy;
}
