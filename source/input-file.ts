/**
 * Reading an operator's input file (a compose file, the plan, `.env`, an env_file, a tiers
 * table) safely: only a regular file of a sane size, and only UTF-8 text, as compose reads it.
 * A FIFO would block the read forever, `/dev/zero` never ends, a directory or a 100 MB file is
 * a mistake, and a Latin-1 file is refused by compose ("invalid UTF-8"): each is refused here,
 * naming the file (and the line of the first byte that is not UTF-8), before anything parses
 * it. The file is opened non-blocking and checked on the open descriptor, so a file swapped
 * for a FIFO between a check and the read cannot hang us. A missing or unreadable file keeps
 * its own error (ENOENT, EACCES) for the caller, which knows which setting named it.
 */
import {closeSync, constants, fstatSync, openSync, readSync, type Stats} from 'node:fs';
import {NetmigrateError, type Where} from './errors.js';

/** The largest input file read (the biggest real compose file seen is under 100 KB). */
export const maxInputBytes = 16 * 1024 * 1024;

export type InputOptions = {
	/** Where the file was named (the plan's `stack.files`, a flag), when not the file itself. */
	where?: Where;
	/** What names the file, for the fix (e.g. "`--env-file`", "`stack.files` in netmigrate.yml"). */
	namedBy?: string;
};

/** The file's text; throws a NetmigrateError for a file that is no regular file, too large or not UTF-8. */
export function readInputText(file: string, options: InputOptions = {}): string {
	const descriptor = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
	try {
		const info = fstatSync(descriptor);
		const where = options.where ?? {file};
		const namedBy = options.namedBy ? ` (named by ${options.namedBy})` : '';
		if (!info.isFile()) {
			throw new NetmigrateError(`${file} is not a regular file but ${kindOf(info)}${namedBy}`, {
				where,
				hint: 'name a regular file here: netmigrate reads compose files, the plan and env files only from regular files',
				code: 'bad-input',
			});
		}
		if (info.size > maxInputBytes) {
			throw new NetmigrateError(
				`${file} is too large (${megabytes(info.size)}; at most ${megabytes(maxInputBytes)} is read)${namedBy}`,
				{
					where,
					hint: 'name the right file: compose files, plans and env files are small text files',
					code: 'bad-input',
				},
			);
		}
		return decodeUtf8(file, readAll(file, descriptor, info.size));
	} finally {
		closeSync(descriptor);
	}
}

function readAll(file: string, descriptor: number, size: number): Buffer {
	// One byte more than the limit, so a file that grows while read is still caught.
	const buffer = Buffer.alloc(Math.min(size, maxInputBytes) + 1);
	let length = 0;
	for (;;) {
		const read = readSync(descriptor, buffer, length, buffer.length - length, null);
		if (read === 0) break;
		length += read;
		if (length === buffer.length) {
			throw new NetmigrateError(`${file} grew past ${megabytes(maxInputBytes)} while it was read`, {
				hint: 'name a regular file that is not being written',
				code: 'bad-input',
			});
		}
	}
	return buffer.subarray(0, length);
}

const decoder = new TextDecoder('utf-8', {fatal: true});

/** UTF-8 (a byte-order mark dropped, as compose drops it), or the line of the first byte that is not. */
export function decodeUtf8(file: string, bytes: Buffer): string {
	try {
		return decoder.decode(bytes);
	} catch {
		let line = 1;
		let start = 0;
		for (;;) {
			const end = bytes.indexOf(0x0a, start);
			const slice = bytes.subarray(start, end < 0 ? bytes.length : end);
			try {
				decoder.decode(slice);
			} catch {
				break;
			}
			if (end < 0) break;
			start = end + 1;
			line++;
		}
		throw new NetmigrateError(
			`${file} is not UTF-8 text (line ${line} holds a byte that is not UTF-8; compose refuses such a file too)`,
			{
				where: {file, line},
				hint: `save it as UTF-8, e.g. \`iconv -f latin1 -t utf-8 ${file} > ${file}.utf8\` and move that over it`,
				code: 'bad-input',
			},
		);
	}
}

function kindOf(info: Stats): string {
	if (info.isDirectory()) return 'a directory';
	if (info.isFIFO()) return 'a FIFO (named pipe)';
	if (info.isCharacterDevice()) return 'a character device';
	if (info.isBlockDevice()) return 'a block device';
	if (info.isSocket()) return 'a socket';
	return 'not a file';
}

function megabytes(bytes: number): string {
	return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
}
