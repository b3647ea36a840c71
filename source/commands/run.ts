/**
 * `netmigrate apply`, `rollback`, `status`, `report`, `force-unlock`: the headless face of the
 * same runs the wizard drives. Without --yes a terminal is asked before each step that changes
 * the host; without a terminal, --yes is required (no prompt can be answered in a pipe).
 */
import {createInterface} from 'node:readline/promises';
import {existsSync, readFileSync} from 'node:fs';
import {describe, type Action} from '../actions.js';
import type {OnConflict} from '../domain.js';
import {NetmigrateError} from '../errors.js';
import type {Emit} from '../events.js';
import {
	applyIteration,
	previewRollback,
	previewSettle,
	rollbackIteration,
	settleStack,
	stackRootOf,
	stackStatus,
	type RunOptions,
} from '../run.js';
import {rememberingStack} from '../recent-stacks.js';
import {readSavedPlan} from '../runs/reviewed.js';
import {describeHolder, forceUnlock} from '../../state/lock.js';
import type {CommonOptions} from './options.js';
import {jsonPrinter, linePrinter} from './printer.js';

export type Interrupt = {requested: () => boolean};

/** First Ctrl-C: finish the current action, save, stop. Second: exit at once (the journal keeps it safe). */
export function handleInterrupts(write: (text: string) => void): Interrupt {
	let count = 0;
	process.on('SIGINT', () => {
		count++;
		if (count === 1) write('\n■ Ctrl-C: finishing the current action, then saving and stopping (Ctrl-C again to quit at once)');
		else process.exit(130);
	});
	return {requested: () => count > 0};
}

function emitter(options: CommonOptions, write: (text: string) => void): Emit {
	return options.json ? jsonPrinter(write) : linePrinter(write);
}

async function askInTerminal(question: string): Promise<boolean> {
	const prompt = createInterface({input: process.stdin, output: process.stderr});
	try {
		const answer = await prompt.question(question);
		return /^y(es)?$/i.test(answer.trim());
	} finally {
		prompt.close();
	}
}

function confirmation(options: CommonOptions, verb: string): RunOptions['confirm'] {
	if (options.yes) return undefined;
	if (!process.stdin.isTTY) {
		throw new NetmigrateError(`refusing to ${verb} without confirmation: there is no terminal to ask`, {
			code: 'bad-input',
			hint: `pass --yes to ${verb} without questions (\`netmigrate plan\` shows what will happen)`,
		});
	}
	return async (step: {title: string}, actions: Action[]) => {
		const list = actions
			.slice(0, 8)
			.map((action) => `    ${describe(action)}`)
			.join('\n');
		return askInTerminal(
			`\n${step.title}: ${actions.length} action${actions.length === 1 ? '' : 's'}\n${list}${actions.length > 8 ? `\n    … and ${actions.length - 8} more` : ''}\nGo ahead? [y/N] `,
		);
	};
}

/** `savedPlan`: `apply FILE` — the plan saved by `plan --out`, run exactly (its netmigrate.yml, its iteration and mode) or refused as stale. */
export async function applyCommand(
	options: CommonOptions & {probeImage?: string; savedPlan?: string; matrix?: boolean},
	write: (text: string) => void,
): Promise<number> {
	const saved = options.savedPlan ? readSavedPlan(options.savedPlan) : undefined;
	if (saved && options.iteration !== undefined && options.iteration !== saved.iteration.index + 1) {
		throw new NetmigrateError(`${options.savedPlan} is the plan of iteration ${saved.iteration.index + 1}, not ${options.iteration}`, {
			code: 'bad-input',
			hint: `leave out --iteration: \`netmigrate apply ${options.savedPlan}\``,
		});
	}
	const interrupt = handleInterrupts(write);
	const result = await applyIteration(
		rememberingStack({
			planFile: saved ? saved.plan.file : options.plan,
			host: options.host,
			...(saved && options.savedPlan ? {reviewed: {plan: saved, file: options.savedPlan}} : {}),
			...(options.iteration ? {iteration: options.iteration} : {}),
			...(options.mode ? {mode: options.mode} : {}),
			...(options.probeImage ? {probeImage: options.probeImage} : {}),
			...(options.matrix === false ? {matrix: false} : {}),
			emit: emitter(options, write),
			confirm: confirmation(options, 'change the host'),
			stopRequested: interrupt.requested,
		}),
	);
	if (result.status === 'already-done' && !options.json)
		write(`nothing to do: iteration ${result.index + 1} (${result.iteration}) is done; \`netmigrate status\` shows every iteration`);
	return 0;
}

export async function rollbackCommand(options: CommonOptions & {onConflict?: OnConflict}, write: (text: string) => void): Promise<number> {
	const interrupt = handleInterrupts(write);
	const preview = previewRollback(options.plan, options.iteration, options.onConflict);
	// A conflict stops the rollback with an error that names it; the list would not run.
	if (!preview.nothingToDo && !options.json && !preview.drift.some((note) => note.outcome === 'conflict')) {
		for (const note of preview.drift) write(note.message);
		write(`Rolling back iteration ${preview.index + 1} (${preview.iteration}): ${preview.actions.length} inverse actions`);
		for (const action of preview.actions) write(`  ${describe(action)}`);
	}
	const confirm = confirmation(options, 'roll back');
	const result = await rollbackIteration(
		rememberingStack({
			planFile: options.plan,
			host: options.host,
			...(options.iteration ? {iteration: options.iteration} : {}),
			...(options.onConflict ? {onConflict: options.onConflict} : {}),
			emit: emitter(options, write),
			...(confirm ? {confirm} : {}),
			stopRequested: interrupt.requested,
		}),
	);
	if (result.nothingToDo && !options.json) write('nothing to roll back');
	return 0;
}

/** `netmigrate settle`: shows what it will recreate, asks (unless --yes), then recreates one service at a time. */
export async function settleCommand(options: CommonOptions, write: (text: string) => void): Promise<number> {
	const interrupt = handleInterrupts(write);
	const preview = await previewSettle(options.plan, options.host);
	if (preview.actions.length > 0 && !options.json) {
		write(
			`Settling after iteration ${preview.index + 1} (${preview.iteration}): ${preview.actions.length} recreate${preview.actions.length === 1 ? '' : 's'}, one at a time, each waited on until healthy`,
		);
		for (const action of preview.actions) write(`  ${describe(action)}`);
	}
	const confirm = preview.actions.length > 0 ? confirmation(options, 'recreate services') : undefined;
	const result = await settleStack(
		rememberingStack({
			planFile: options.plan,
			host: options.host,
			emit: emitter(options, write),
			...(confirm ? {confirm} : {}),
			stopRequested: interrupt.requested,
		}),
	);
	if (!result.nothingToDo && !options.json) write('`docker compose up -d` now has nothing to recreate');
	return 0;
}

export function statusCommand(options: CommonOptions, write: (text: string) => void): number {
	const status = stackStatus(options.plan);
	if (options.json) {
		write(JSON.stringify(status));
		return 0;
	}
	write(`Stack ${status.project} in ${status.root}`);
	if (status.lock?.damaged)
		write(
			`Locked: .netmigrate/lock.json is damaged (it holds ${status.lock.damaged}, not a lock netmigrate wrote); no run starts while it is there — once you are sure none is active, \`netmigrate force-unlock ${status.lock.id}\``,
		);
	else if (status.lock)
		write(`Locked by ${status.lock.operator} on ${status.lock.host} (${describeHolder(status.lock)}) — lock id ${status.lock.id}`);
	for (const iteration of status.iterations) {
		const record = iteration.progress;
		write(
			`  ${iteration.index + 1}. ${iteration.name.padEnd(22)} ${iteration.status}${record?.finishedAt ? ` (${record.finishedAt})` : ''}`,
		);
		if (iteration.interruptedAt) write(`     stopped at: ${iteration.interruptedAt}${record?.error ? ` — ${record.error}` : ''}`);
		if (record?.report) write(`     report: ${record.report}`);
	}
	return 0;
}

export function reportCommand(options: CommonOptions, write: (text: string) => void): number {
	const status = stackStatus(options.plan);
	const candidates = status.iterations.filter(
		(iteration) => iteration.progress?.report && (options.iteration === undefined || iteration.index + 1 === options.iteration),
	);
	const chosen = candidates.at(-1)?.progress?.report;
	if (!chosen || !existsSync(chosen)) {
		throw new NetmigrateError('no report yet', {
			code: 'bad-input',
			hint: 'reports are written when an iteration completes (`netmigrate apply`)',
		});
	}
	write(readFileSync(chosen, 'utf8'));
	return 0;
}

export function forceUnlockCommand(options: CommonOptions, id: string | undefined, write: (text: string) => void): number {
	if (!id)
		throw new NetmigrateError('force-unlock needs the lock id', {
			code: 'bad-input',
			hint: '`netmigrate status` shows it: `netmigrate force-unlock <id>`',
		});
	const holder = forceUnlock(stackRootOf(options.plan), id);
	write(`removed the lock of ${holder.operator} (pid ${holder.pid}, \`${holder.command}\`); make sure that run is really gone`);
	return 0;
}
