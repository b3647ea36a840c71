/**
 * Errors the operator reads: what went wrong, where (file:line, service, network)
 * and what to do. Raised at the edge, rendered in one place (`formatError`).
 */
import {statSync} from 'node:fs';
import path from 'node:path';
import type {Problem, RunKind, Where} from './domain.js';

export type {Problem, Where} from './domain.js';

/** `stale-plan`: a saved plan no longer holds (a file, the engine or the plan changed since it was made); nothing was changed. */
export type ErrorCode = 'bad-input' | 'locked' | 'engine-unreachable' | 'failed' | 'stale-plan';

export class NetmigrateError extends Error {
	readonly hint?: string;
	readonly where?: Where;
	readonly code: ErrorCode;
	/** Every problem found, when there is more than one to report at once (plan validation). */
	readonly problems: Problem[];

	constructor(message: string, options: {hint?: string; where?: Where; code?: ErrorCode; cause?: unknown; problems?: Problem[]} = {}) {
		super(message, options.cause === undefined ? undefined : {cause: options.cause});
		this.name = 'NetmigrateError';
		this.hint = options.hint;
		this.where = options.where;
		this.code = options.code ?? 'failed';
		this.problems = options.problems ?? [];
	}
}

/**
 * How a run goes on once the cause of a failed action is fixed, in the run's direction: an apply
 * is resumed or rolled back; a rollback is finished by rolling back again — never "resume" then.
 */
export function wayOn(run: RunKind): string {
	return run === 'rollback'
		? 'then run `netmigrate rollback` again to finish the rollback'
		: 'then resume (run the same command again) or roll back (`netmigrate rollback`)';
}

/** Documented exit codes: 0 done, 1 failed (state saved), 2 bad input, 3 locked, 4 engine unreachable. */
export const exitCodes: Record<ErrorCode, number> = {failed: 1, 'bad-input': 2, locked: 3, 'engine-unreachable': 4, 'stale-plan': 5};

export function describeWhere(where: Where | undefined): string {
	if (!where) return '';
	const parts: string[] = [];
	if (where.file) parts.push([where.file, where.line, where.column].filter((part) => part !== undefined).join(':'));
	if (where.service) parts.push(`service ${where.service}`);
	if (where.network) parts.push(`network ${where.network}`);
	return parts.join(', ');
}

/** One error, as the operator sees it: never a stack trace. */
export function formatError(error: unknown): string {
	if (error instanceof NetmigrateError && error.problems.length > 0) {
		return [`error: ${error.message}`, ...error.problems.map(formatProblem)].join('\n');
	}
	if (error instanceof NetmigrateError) {
		const where = describeWhere(error.where);
		const lines = [`error: ${where ? `${where}: ` : ''}${error.message}`];
		if (error.hint) lines.push(`  fix: ${error.hint}`);
		return lines.join('\n');
	}
	const fileSystem = fileSystemError(error);
	if (fileSystem) return formatError(fileSystem);
	const message = error instanceof Error ? error.message : String(error);
	return `error: ${message}\n  (an unexpected failure; progress is saved in .netmigrate/ — run \`netmigrate status\`)`;
}

export function exitCodeOf(error: unknown): number {
	if (error instanceof NetmigrateError) return exitCodes[error.code];
	return fileSystemError(error) ? exitCodes['bad-input'] : 1;
}

/**
 * A file-system error no code path turned into a NetmigrateError (a folder where a file should
 * be, a file in the way of a folder, a permission): rendered naming the path that is wrong and
 * the way out, never as Node's raw "ENOTDIR: not a directory, open '…'".
 */
export function fileSystemError(error: unknown): NetmigrateError | undefined {
	const {code, path: file, syscall} = (error ?? {}) as NodeJS.ErrnoException;
	if (typeof file !== 'string' || typeof code !== 'string') return undefined;
	const where = {file};
	switch (code) {
		case 'ENOTDIR': {
			const blocking = firstNonFolder(file);
			return new NetmigrateError(`${blocking} is not a folder (a file is where netmigrate needs a folder)`, {
				where: {file: blocking},
				hint: `move the file away (\`mv ${blocking} ${blocking}.bak\`) and run the command again`,
				code: 'bad-input',
			});
		}
		case 'EISDIR':
			return new NetmigrateError(`${file} is a folder, not a regular file`, {
				where,
				hint: `move the folder away (\`mv ${file} ${file}.bak\`); netmigrate writes a file there`,
				code: 'bad-input',
			});
		case 'EACCES':
		case 'EPERM':
			return new NetmigrateError(`permission denied: cannot ${syscall ?? 'use'} ${file}`, {
				where,
				hint: 'run netmigrate as the user that owns the stack folder (or root), or fix the permissions',
				code: 'bad-input',
			});
		case 'EROFS':
			return new NetmigrateError(`${file} is on a read-only file system`, {
				where,
				hint: 'netmigrate writes its state beside the stack: run it where the stack folder is writable',
				code: 'bad-input',
			});
		case 'ENOENT':
			return new NetmigrateError(`${file} does not exist`, {
				where,
				hint: 'check the path (relative paths are relative to the current folder)',
				code: 'bad-input',
			});
		case 'ELOOP':
			return new NetmigrateError(`${file}: too many levels of symbolic links`, {
				where,
				hint: 'fix the link so it points at a real file or folder',
				code: 'bad-input',
			});
		default:
			return undefined;
	}
}

/** The first part of `file`'s path that exists and is not a folder. */
function firstNonFolder(file: string): string {
	const parts = path.resolve(file).split(path.sep);
	for (let end = 2; end <= parts.length; end++) {
		const prefix = parts.slice(0, end).join(path.sep) || path.sep;
		try {
			if (!statSync(prefix).isDirectory()) return prefix;
		} catch {
			break;
		}
	}
	return file;
}

export function formatProblem(problem: Problem): string {
	const where = describeWhere(problem.where);
	return `  ${where ? `${where}: ` : ''}${problem.message}${problem.hint ? `\n      fix: ${problem.hint}` : ''}`;
}
