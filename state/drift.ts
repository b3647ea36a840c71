/**
 * The operator's copies of files a rollback restores over their changes (`--on-conflict
 * backup`): `.netmigrate/drift/<iteration>/<path in the stack>.<time>`, 0600 in 0700 folders
 * like the backups (the files hold the stack's secrets), written before the rollback journals
 * anything, so the copy exists before the file is overwritten.
 */
import path from 'node:path';
import {NetmigrateError} from '../source/errors.js';
import {privateFolder, statePaths, syncFolder, writeNewPrivateFile} from './paths.js';

/** Saves `content` as the operator's copy of `file` and returns where it went. */
export function saveDriftCopy(stackRoot: string, iteration: string, file: string, content: Buffer, at = new Date()): string {
	// A file outside the stack folder (an include from ../) must still land inside drift/.
	const inside = path.relative(stackRoot, file).split(path.sep).map((part) => (part === '..' ? '__' : part));
	let folder = privateFolder(statePaths(stackRoot).drift);
	for (const part of [iteration, ...inside.slice(0, -1)]) folder = privateFolder(path.join(folder, part));
	const copy = path.join(folder, `${inside.at(-1) as string}.${at.toISOString().replaceAll(':', '-')}`);
	try {
		writeNewPrivateFile(copy, content);
	} catch (error) {
		throw new NetmigrateError(`could not save your copy of ${file} as ${copy}: ${(error as Error).message}; nothing was rolled back`, {hint: 'free some space or fix the permissions of .netmigrate/, then run the rollback again'});
	}
	syncFolder(folder);
	return copy;
}
