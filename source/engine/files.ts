/**
 * Files on the host: read with their hash and mode, written atomically (temp file in the same
 * folder, fsync, rename, fsync the folder) keeping mode and owner, so a crash leaves either the
 * old or the new contents, never half of each.
 */
import {randomBytes} from 'node:crypto';
import {chownSync, closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync} from 'node:fs';
import path from 'node:path';
import {NetmigrateError} from '../errors.js';
import {sha256} from '../hash.js';

export function readFileState(file: string): {content: Buffer; sha256: string; mode: number; uid: number; gid: number} | undefined {
	try {
		const content = readFileSync(file);
		const stat = statSync(file);
		return {content, sha256: sha256(content), mode: stat.mode & 0o7777, uid: stat.uid, gid: stat.gid};
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
		throw fileError(error, file, 'reading');
	}
}

export function writeFileAtomic(file: string, content: string | Buffer, options: {mode: number; uid?: number; gid?: number}): void {
	const temporary = path.join(path.dirname(file), `.${path.basename(file)}.netmigrate-${randomBytes(4).toString('hex')}`);
	try {
		const fd = openSync(temporary, 'wx', options.mode);
		try {
			writeSync(fd, typeof content === 'string' ? Buffer.from(content) : content);
			fsyncSync(fd);
		} finally {
			closeSync(fd);
		}
		if (options.uid !== undefined && options.gid !== undefined) {
			try {
				chownSync(temporary, options.uid, options.gid);
			} catch {
				// Not root: the file keeps our owner, which is the one that could write it.
			}
		}
		renameSync(temporary, file);
		const folder = openSync(path.dirname(file), 'r');
		try {
			fsyncSync(folder);
		} finally {
			closeSync(folder);
		}
	} catch (error) {
		rmSync(temporary, {force: true});
		throw fileError(error, file, 'writing');
	}
}

export function fileError(error: unknown, file: string, doing: string): NetmigrateError {
	const code = (error as NodeJS.ErrnoException).code;
	if (code === 'EACCES' || code === 'EPERM') {
		return new NetmigrateError(`permission denied ${doing} ${file}`, {where: {file}, hint: 'run netmigrate as the owner of the stack\'s files (or root); nothing was half-written', code: 'bad-input'});
	}
	if (code === 'ENOSPC') {
		return new NetmigrateError(`the disk is full (${doing} ${file})`, {where: {file}, hint: 'free some space (`df -h`), then run the same command again; progress is saved'});
	}
	return new NetmigrateError(`${doing} ${file} failed: ${(error as Error).message}`, {where: {file}});
}
