/**
 * Files on the host: read with their hash and mode (one descriptor: what is hashed is what was
 * stat-ed), written atomically (temp file in the same folder, fsync, swap, fsync the folder)
 * keeping mode and owner, so a crash leaves either the old or the new contents, never half of
 * each — and an operator's save that lands while netmigrate writes is never silently lost.
 *
 * A file that is a symbolic link is edited where it points, as an editor does: the temp file is
 * made beside the link's target and swapped onto it, so the operator's link stays a link (it was
 * replaced by a regular file before). The target may lie outside the stack folder: compose reads
 * it there, the backup holds its content and a rollback restores it there, and it is the same as
 * a regular file included from ../ — the operator who linked it chose where the stack's file
 * lives (a dotfiles repository, /opt/stacks). Refused, with the reason: a dangling link or a
 * loop (there is no file to edit), a target that is not a regular file, and a file with other
 * names (hard links), which a swap would leave holding the old content.
 */
import {randomBytes} from 'node:crypto';
import {
	closeSync,
	constants,
	fchownSync,
	fstatSync,
	fsyncSync,
	linkSync,
	lstatSync,
	openSync,
	readSync,
	realpathSync,
	renameSync,
	rmSync,
	writeSync,
} from 'node:fs';
import path from 'node:path';
import {NetmigrateError} from '../errors.js';
import {sha256} from '../hash.js';

export type FileState = {content: Buffer; sha256: string; mode: number; uid: number; gid: number};

/** The file's bytes and metadata from one descriptor (through links); none when it does not exist. */
export function readFileState(file: string): FileState | undefined {
	let fd: number;
	try {
		// O_NONBLOCK: a named pipe planted in a file's place would block the open itself.
		fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
		throw fileError(error, file, 'reading');
	}
	try {
		const stat = fstatSync(fd);
		if (!stat.isFile())
			throw new NetmigrateError(`${file} is not a regular file`, {
				where: {file},
				code: 'bad-input',
				hint: 'netmigrate reads and writes compose and .env files only as regular files (or links to one)',
			});
		const content = readAll(fd, stat.size);
		return {content, sha256: sha256(content), mode: stat.mode & 0o7777, uid: stat.uid, gid: stat.gid};
	} catch (error) {
		throw error instanceof NetmigrateError ? error : fileError(error, file, 'reading');
	} finally {
		closeSync(fd);
	}
}

function readAll(fd: number, size: number): Buffer {
	const chunks: Buffer[] = [];
	let position = 0;
	for (let length = Math.max(size, 4096); ; length = 65536) {
		const chunk = Buffer.alloc(length);
		const count = readSync(fd, chunk, 0, length, position);
		if (count === 0) return Buffer.concat(chunks);
		chunks.push(chunk.subarray(0, count));
		position += count;
	}
}

/** A write that did not happen because the file was not what had been checked when it was swapped: `theirs` is what was there (none: it was removed). */
export type WriteOutcome = {written: true} | {written: false; theirs: Buffer | undefined; why: string};

export type WriteOptions = {
	mode: number;
	uid?: number;
	gid?: number;
	/** The sha256 the file had when it was checked; null: it did not exist. Omitted: replaced whatever it holds. */
	expect?: string | null;
	/** Tests only: runs after the new content is on disk, right before the swap, where an operator's save would race it. */
	beforeSwap?: () => void;
};

/**
 * Writes `content` atomically where `file` (or the link at it) points. With `expect`, the race
 * between the caller's check and the swap is closed as far as Linux lets it without renameat2:
 * the current file is first renamed aside (one atomic step that captures exactly what is
 * replaced), compared with what was checked, and put back untouched when it differs; the new one
 * is then linked in with link(), which fails rather than replace a file someone created in the
 * moment between. The path is missing for those microseconds (a crash there leaves the old
 * content in `.<name>.netmigrate-old-*` beside it, and the iteration's backup).
 */
export function writeFileAtomic(file: string, content: string | Buffer, options: WriteOptions): WriteOutcome {
	const target = editableTarget(file);
	const folder = path.dirname(target);
	const suffix = randomBytes(4).toString('hex');
	const temporary = path.join(folder, `.${path.basename(target)}.netmigrate-${suffix}`);
	try {
		writeTemporary(temporary, typeof content === 'string' ? Buffer.from(content) : content, options);
		options.beforeSwap?.();
		const outcome =
			options.expect === undefined
				? replace(temporary, target)
				: swap(temporary, target, path.join(folder, `.${path.basename(target)}.netmigrate-old-${suffix}`), options.expect);
		syncFolder(folder);
		return outcome;
	} catch (error) {
		throw error instanceof NetmigrateError ? error : fileError(error, file, 'writing');
	} finally {
		rmSync(temporary, {force: true});
	}
}

function writeTemporary(temporary: string, bytes: Buffer, options: WriteOptions): void {
	const fd = openSync(temporary, 'wx', options.mode);
	try {
		writeSync(fd, bytes);
		fsyncSync(fd);
		if (options.uid !== undefined && options.gid !== undefined) {
			try {
				fchownSync(fd, options.uid, options.gid);
			} catch {
				// Not root: the file keeps our owner, which is the one that could write it.
			}
		}
	} finally {
		closeSync(fd);
	}
}

function replace(temporary: string, target: string): WriteOutcome {
	renameSync(temporary, target);
	return {written: true};
}

function swap(temporary: string, target: string, aside: string, expect: string | null): WriteOutcome {
	if (expect !== null) {
		try {
			renameSync(target, aside);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {written: false, theirs: undefined, why: 'it was removed'};
			throw error;
		}
		const theirs = readFileState(aside)?.content ?? Buffer.alloc(0);
		if (sha256(theirs) !== expect) {
			// Theirs goes back where it was, unless yet another save already put a file there.
			if (linkUnlessExists(aside, target)) rmSync(aside, {force: true});
			return {written: false, theirs, why: 'it was saved by someone else after netmigrate checked it'};
		}
		if (!linkUnlessExists(temporary, target)) {
			rmSync(aside, {force: true});
			return {
				written: false,
				theirs: readFileState(target)?.content,
				why: 'someone else created it again while netmigrate swapped it',
			};
		}
		rmSync(aside, {force: true});
		return {written: true};
	}
	if (!linkUnlessExists(temporary, target))
		return {written: false, theirs: readFileState(target)?.content, why: 'someone else created it after netmigrate checked it'};
	return {written: true};
}

function linkUnlessExists(source: string, target: string): boolean {
	try {
		linkSync(source, target);
		return true;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
		throw error;
	}
}

/** The file a write lands in: `file`, or the regular file its link resolves to; refused where there is none or a swap would break something. */
export function editableTarget(file: string): string {
	let stat;
	try {
		stat = lstatSync(file);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return file;
		throw error;
	}
	let target = file;
	if (stat.isSymbolicLink()) {
		try {
			target = realpathSync(file);
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code;
			throw new NetmigrateError(
				`${file} is a symbolic link ${code === 'ELOOP' ? 'in a loop of links' : 'to a file that does not exist'}: there is no file to edit`,
				{
					where: {file},
					code: 'bad-input',
					hint: 'point the link at the real file (`ls -l` shows where it points), or replace it with the file itself, then run again',
				},
			);
		}
		stat = lstatSync(target);
	}
	const via = target === file ? '' : ` (where the link ${file} points)`;
	if (!stat.isFile())
		throw new NetmigrateError(`${target}${via} is not a regular file`, {
			where: {file},
			code: 'bad-input',
			hint: 'netmigrate edits compose and .env files only as regular files (or links to one)',
		});
	if (stat.nlink > 1) {
		throw new NetmigrateError(
			`${target}${via} has ${stat.nlink} names (hard links): replacing it would leave the others with the old content`,
			{
				where: {file},
				code: 'bad-input',
				hint: `make it a file of its own (\`cp -p ${target} ${target}.own && mv ${target}.own ${target}\`; \`find / -xdev -samefile ${target}\` lists the other names), or a symbolic link, then run again`,
			},
		);
	}
	return target;
}

function syncFolder(folder: string): void {
	const fd = openSync(folder, 'r');
	try {
		fsyncSync(fd);
	} finally {
		closeSync(fd);
	}
}

export function fileError(error: unknown, file: string, doing: string): NetmigrateError {
	const code = (error as NodeJS.ErrnoException).code;
	if (code === 'EACCES' || code === 'EPERM') {
		return new NetmigrateError(`permission denied ${doing} ${file}`, {
			where: {file},
			hint: "run netmigrate as the owner of the stack's files (or root); nothing was half-written",
			code: 'bad-input',
		});
	}
	if (code === 'ENOSPC') {
		return new NetmigrateError(`the disk is full (${doing} ${file})`, {
			where: {file},
			hint: 'free some space (`df -h`), then run the same command again; progress is saved',
		});
	}
	return new NetmigrateError(`${doing} ${file} failed: ${(error as Error).message}`, {where: {file}});
}
