/**
 * Errors the operator reads: what went wrong, where (file:line, service, network)
 * and what to do. Raised at the edge, rendered in one place (`formatError`).
 */
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
	return run === 'rollback' ? 'then run `netmigrate rollback` again to finish the rollback' : 'then resume (run the same command again) or roll back (`netmigrate rollback`)';
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
	const message = error instanceof Error ? error.message : String(error);
	return `error: ${message}\n  (an unexpected failure; progress is saved in .netmigrate/ — run \`netmigrate status\`)`;
}

export function exitCodeOf(error: unknown): number {
	return error instanceof NetmigrateError ? exitCodes[error.code] : 1;
}

export function formatProblem(problem: Problem): string {
	const where = describeWhere(problem.where);
	return `  ${where ? `${where}: ` : ''}${problem.message}${problem.hint ? `\n      fix: ${problem.hint}` : ''}`;
}
