/**
 * Opening the state folder's files without following links. `.netmigrate/` holds the stack's
 * secrets (backups) and is written by a tool often run as root: a link planted where the folder,
 * `backups/`, the journal or the lock should be would have those writes (and chmods) land
 * anywhere on the host. So every folder from `.netmigrate` down is checked with lstat before it
 * is used, every file is opened with O_NOFOLLOW and checked through its descriptor (fstat: a
 * regular file with no second name), and modes are set on that descriptor on every open for
 * writing, not only on create — a journal left at 0644 by hand becomes 0600 again. A link is
 * refused with its name and the fix, never removed for the operator: it may be theirs.
 */
import {closeSync, constants, fchmodSync, fstatSync, lstatSync, openSync, readdirSync, readlinkSync, readSync, type Stats} from 'node:fs';
import path from 'node:path';
import {NetmigrateError} from '../source/errors.js';

export const stateFolderName = '.netmigrate';

/** The state folder's own path within `target` (`<stack>/.netmigrate`), or undefined when `target` is not inside one. */
export function stateRootOf(target: string): string | undefined {
	const parts = path.resolve(target).split(path.sep);
	const index = parts.lastIndexOf(stateFolderName);
	return index < 0 ? undefined : parts.slice(0, index + 1).join(path.sep);
}

/** Refuses a link (or a non-folder) among the folders from the state folder down to `folder`; a missing one ends the check. */
export function checkFolders(folder: string): void {
	const root = stateRootOf(folder);
	if (!root) return;
	const below = path.relative(root, path.resolve(folder));
	let current = root;
	for (const part of ['', ...(below ? below.split(path.sep) : [])]) {
		current = part ? path.join(current, part) : current;
		const stat = lstatOrUndefined(current);
		if (!stat) return;
		if (stat.isSymbolicLink()) throw linkError(current);
		if (!stat.isDirectory()) throw notA('folder', current, stat);
	}
}

/**
 * Opens a state file with `flags` (O_NOFOLLOW added), after checking its folders. `private`:
 * also sets 0600 on it, through the descriptor. Returns undefined for a missing file opened
 * without O_CREAT.
 */
export function openStateFile(file: string, flags: number, options: {private: boolean}): number | undefined {
	checkFolders(path.dirname(file));
	let fd: number;
	try {
		fd = openSync(file, flags | constants.O_NOFOLLOW, 0o600);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT' && (flags & constants.O_CREAT) === 0) return undefined;
		throw openError(error, file);
	}
	try {
		const stat = fstatSync(fd);
		if (!stat.isFile()) throw notA('file', file, stat);
		// A second name may lie outside the stack: writing (or chmod-ing) this one would change that file too.
		if (stat.nlink > 1 && (options.private || (flags & (constants.O_WRONLY | constants.O_RDWR)) !== 0))
			throw hardLinkError(file, stat.nlink);
		if (options.private && (stat.mode & 0o777) !== 0o600) fchmodSync(fd, 0o600);
		return fd;
	} catch (error) {
		closeSync(fd);
		throw error;
	}
}

/** A state file's bytes, or undefined when it does not exist; never through a link. */
export function readStateFile(file: string): Buffer | undefined {
	const fd = openStateFile(file, constants.O_RDONLY, {private: false});
	if (fd === undefined) return undefined;
	try {
		return readWhole(fd);
	} finally {
		closeSync(fd);
	}
}

/** Everything from an open file's start (its size from fstat, then until read returns 0). */
export function readWhole(fd: number): Buffer {
	const chunks: Buffer[] = [];
	let position = 0;
	let size = Math.max(fstatSync(fd).size, 4096);
	for (;;) {
		const chunk = Buffer.alloc(size);
		const count = readSync(fd, chunk, 0, size, position);
		if (count === 0) break;
		chunks.push(chunk.subarray(0, count));
		position += count;
		size = 65536;
	}
	return Buffer.concat(chunks);
}

/** Refuses a link anywhere under the state folder `root` (itself checked by the caller): the walk never enters one. */
export function checkTree(root: string): void {
	const walk = (folder: string) => {
		for (const entry of readdirSync(folder)) {
			const full = path.join(folder, entry);
			// Another run's lock draft or claim may be gone by now.
			const stat = lstatOrUndefined(full);
			if (stat?.isSymbolicLink()) throw linkError(full);
			if (stat?.isDirectory()) walk(full);
		}
	};
	walk(root);
}

export function linkError(file: string): NetmigrateError {
	let target = '';
	try {
		target = ` to ${readlinkSync(file)}`;
	} catch {
		// Gone in between: the message still names it.
	}
	const name = path.basename(file);
	return new NetmigrateError(
		`${name} is a symbolic link${target}: netmigrate follows no link in its state folder, so that nothing it writes (backups hold the stack's secrets) lands outside the stack`,
		{
			where: {file},
			code: 'bad-input',
			hint: `remove the link (\`rm ${file}\`) and run again: netmigrate creates ${name} itself, private to you; to keep the state on another disk, move or link the whole stack folder instead`,
		},
	);
}

function hardLinkError(file: string, names: number): NetmigrateError {
	return new NetmigrateError(
		`${path.basename(file)} has ${names} names (hard links): writing it would change the file under its other names too, which may lie outside the stack`,
		{
			where: {file},
			code: 'bad-input',
			hint: `give it a name of its own, keeping its contents: \`cp -p ${file} ${file}.own && mv ${file}.own ${file}\` (\`find / -xdev -samefile ${file}\` shows the other names)`,
		},
	);
}

function notA(expected: 'file' | 'folder', file: string, stat: Stats): NetmigrateError {
	const kind = stat.isDirectory()
		? 'a folder'
		: stat.isFile()
			? 'a file'
			: stat.isFIFO()
				? 'a named pipe'
				: stat.isSocket()
					? 'a socket'
					: 'a device';
	return new NetmigrateError(`${path.basename(file)} is ${kind}, not a ${expected}`, {
		where: {file},
		code: 'bad-input',
		hint: `move it out of the way (\`mv ${file} ${file}.moved\`) and run again: netmigrate creates it itself`,
	});
}

function openError(error: unknown, file: string): NetmigrateError {
	const code = (error as NodeJS.ErrnoException).code;
	// O_NOFOLLOW on a link fails with ELOOP; O_DIRECTORY on a file with ENOTDIR; writing a folder with EISDIR.
	const stat = lstatOrUndefined(file);
	if (stat?.isSymbolicLink()) return linkError(file);
	if (stat && (code === 'EISDIR' || code === 'ENOTDIR')) return notA(stat.isDirectory() ? 'file' : 'folder', file, stat);
	if (code === 'EACCES' || code === 'EPERM') {
		return new NetmigrateError(`permission denied opening ${file}`, {
			where: {file},
			code: 'bad-input',
			hint: 'run netmigrate as the user that owns the stack folder (or root)',
		});
	}
	if (code === 'ENOSPC')
		return new NetmigrateError(`the disk is full (writing ${file})`, {
			where: {file},
			hint: 'free some space (`df -h`), then run the same command again; progress is saved',
		});
	return new NetmigrateError(`could not open ${file}: ${(error as Error).message}`, {
		where: {file},
		hint: 'check the state folder (.netmigrate/) and its permissions',
	});
}

function lstatOrUndefined(file: string): Stats | undefined {
	try {
		return lstatSync(file);
	} catch {
		return undefined;
	}
}
