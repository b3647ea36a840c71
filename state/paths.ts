/**
 * The state folder beside the stack: `<stack root>/.netmigrate/` (0700) holding progress,
 * the journal, the lock, backups and reports. Everything in it is created 0600/0700 — backups
 * hold the stack's secrets — and opened without following links (state/nofollow.ts): a link
 * where the folder or one of its entries should be is refused, naming it, before anything in
 * it is chmod-ed or written.
 */
import {
	closeSync,
	constants,
	fsyncSync,
	fstatSync,
	fchmodSync,
	ftruncateSync,
	lstatSync,
	mkdirSync,
	openSync,
	renameSync,
	rmSync,
	writeSync,
} from 'node:fs';
import {randomBytes} from 'node:crypto';
import path from 'node:path';
import {checkFolders, checkTree, linkError, openStateFile, stateFolderName, stateRootOf} from './nofollow.js';
import {NetmigrateError} from '../source/errors.js';

export type StatePaths = {
	root: string;
	journal: string;
	lock: string;
	backups: string;
	reports: string;
	probes: string;
	/** The operator's own copies of files a rollback restored over their changes (`--on-conflict backup`). */
	drift: string;
	/** What a file held when netmigrate replaced it, kept when that was not what it had checked (an operator's save in the write's window). */
	replaced: string;
};

export function statePaths(stackRoot: string): StatePaths {
	const root = path.join(stackRoot, stateFolderName);
	return {
		root,
		journal: path.join(root, 'journal.jsonl'),
		lock: path.join(root, 'lock.json'),
		backups: path.join(root, 'backups'),
		reports: path.join(root, 'reports'),
		probes: path.join(root, 'probes'),
		drift: path.join(root, 'drift'),
		replaced: path.join(root, 'replaced'),
	};
}

/**
 * Creates a private folder (0700) inside the state folder, and every folder from the state
 * folder down to it, tightening those that exist; a link among them, or anywhere in the state
 * folder, is refused. The state folder itself gets a `.gitignore` of `*`: stacks often live in
 * git, and backups hold secrets.
 */
export function privateFolder(folder: string): string {
	const root = stateRootOf(folder);
	if (!root) throw new Error(`${folder} is not inside a ${stateFolderName} folder`);
	const below = path.relative(root, path.resolve(folder));
	let current = root;
	makePrivate(current);
	checkTree(root);
	for (const part of below ? below.split(path.sep) : []) {
		current = path.join(current, part);
		makePrivate(current);
	}
	ignoredByGit(root);
	return folder;
}

/** mkdir, or an existing folder opened without following a link and set to 0700 through its descriptor. */
function makePrivate(folder: string): void {
	try {
		mkdirSync(folder, {mode: 0o700});
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw folderError(error, folder);
	}
	let fd: number;
	try {
		fd = openSync(folder, constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW);
	} catch (error) {
		checkFolders(folder);
		throw folderError(error, folder);
	}
	try {
		if ((fstatSync(fd).mode & 0o777) !== 0o700) fchmodSync(fd, 0o700);
	} finally {
		closeSync(fd);
	}
}

function folderError(error: unknown, folder: string): NetmigrateError {
	const code = (error as NodeJS.ErrnoException).code;
	if (code === 'ELOOP') return linkError(folder);
	if (code === 'EACCES' || code === 'EPERM') {
		return new NetmigrateError(`permission denied creating ${folder}`, {
			where: {file: folder},
			code: 'bad-input',
			hint: 'run netmigrate as the user that owns the stack folder (or root)',
		});
	}
	return new NetmigrateError(`could not create ${folder}: ${(error as Error).message}`, {
		where: {file: folder},
		code: 'bad-input',
		hint: 'check the stack folder and its permissions',
	});
}

function ignoredByGit(folder: string): void {
	const file = path.join(folder, '.gitignore');
	try {
		lstatSync(file);
		return;
	} catch {
		// Missing: written below.
	}
	const fd = openStateFile(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, {private: true}) as number;
	try {
		writeSync(fd, "# netmigrate state: backups and the journal hold the stack's secrets\n*\n");
	} finally {
		closeSync(fd);
	}
}

/** Makes a file's creation in `folder` durable: a new file's directory entry is only on disk once the directory is synced. */
export function syncFolder(folder: string): void {
	const fd = openSync(folder, constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW);
	try {
		fsyncSync(fd);
	} finally {
		closeSync(fd);
	}
}

/** Creates `file` (it must not exist yet) with `content`, 0600, synced to disk before returning. */
export function writeNewPrivateFile(file: string, content: string | Buffer): void {
	writeWith(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, content);
}

/** Writes `file` whole, 0600, whatever mode it had; never through a link, never into a file with a second name. */
export function writePrivateFile(file: string, content: string | Buffer): void {
	writeWith(file, constants.O_WRONLY | constants.O_CREAT, content, true);
}

function writeWith(file: string, flags: number, content: string | Buffer, truncate = false): void {
	const fd = openStateFile(file, flags, {private: true}) as number;
	try {
		// Truncated only once the descriptor is known to be a private regular file (O_TRUNC would act before the check).
		if (truncate) ftruncateSync(fd, 0);
		writeSync(fd, typeof content === 'string' ? Buffer.from(content) : content);
		fsyncSync(fd);
	} finally {
		closeSync(fd);
	}
}

/**
 * Replaces `file` atomically: a temp file beside it (0600, created exclusively), fsync, rename,
 * fsync the folder — a crash leaves the old or the new content. A link at `file` is refused,
 * not replaced: it was put there by someone, and is named to them.
 */
export function replacePrivateFile(file: string, content: string): void {
	checkFolders(path.dirname(file));
	const temporary = path.join(path.dirname(file), `.${path.basename(file)}.netmigrate-${randomBytes(4).toString('hex')}`);
	try {
		writeNewPrivateFile(temporary, content);
		try {
			if (lstatSync(file).isSymbolicLink()) throw linkError(file);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
		}
		renameSync(temporary, file);
	} catch (error) {
		rmSync(temporary, {force: true});
		if (error instanceof NetmigrateError) throw error;
		const code = (error as NodeJS.ErrnoException).code;
		throw new NetmigrateError(
			code === 'ENOSPC' ? `the disk is full (writing ${file})` : `could not write ${file}: ${(error as Error).message}`,
			{
				where: {file},
				hint: 'free some space (`df -h`) or fix the permissions of .netmigrate/, then run the same command again; progress is saved',
			},
		);
	}
	syncFolder(path.dirname(file));
}
