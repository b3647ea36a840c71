/**
 * The executor: applies a step's actions in order, journaling each intent (fsync'd) before it
 * acts and its outcome after. Every action is idempotent — applied again after a crash it
 * sees the work already done and does nothing — so a resumed step replays its recorded list.
 * What each kind does is its own (source/kinds/); this file only walks the list. Kinds with a
 * concurrency key (network creates/removes, connects/disconnects) run side by side, bounded and
 * never two on one key at once; the rest in order.
 */
import {concurrencyKey, describe, type Action} from './actions.js';
import type {ComposeProject} from './engine/compose.js';
import type {Engine} from './engine/docker.js';
import type {AddressesToKeep} from './engine/keep-addresses.js';
import type {HealthBaseline, RunKind} from './domain.js';
import {NetmigrateError} from './errors.js';
import type {Emit} from './events.js';
import type {KeepReplaced} from './file-write.js';
import {applierOf} from './kinds/appliers.js';
import type {ApplyContext, Applied} from './kinds/applier.js';
import type {Journal, JournalPhase} from '../state/journal.js';

export type ExecutorContext = {
	engine: Engine;
	compose: ComposeProject;
	journal: Journal;
	iteration: string;
	run: RunKind;
	emit: Emit;
	/** Checked between actions: Ctrl-C finishes the current action, then the run stops here. */
	stopRequested: () => boolean;
	concurrency: number;
	/** The containers' state when the iteration began, which a recreate's health gate judges against (source/health-gate.ts). */
	baseline?: () => HealthBaseline | undefined;
	/** Keeps what a file held when an operator's save raced netmigrate's write of it (source/file-write.ts). */
	keepReplaced?: KeepReplaced;
	/** The addresses recreated and reconnected containers keep (source/engine/keep-addresses.ts), read when needed. */
	keepAddresses?: () => AddressesToKeep | undefined;
};

export type {ApplyContext, Applied} from './kinds/applier.js';

export class StopRequested extends Error {
	override readonly name = 'StopRequested';
}

/** Applies an action unless the engine or the file already shows it done: its kind's applier (source/kinds/*.apply.ts). */
export async function applyAction(action: Action, context: ApplyContext): Promise<Applied> {
	return applierOf(action).apply(action, {...context, run: context.run ?? 'apply'});
}

/**
 * What the journal's intent records of an action, read just before it acts: its kind's `record`
 * (a disconnect's endpoint, so its inverse reconnects exactly), else the action as planned.
 */
export async function recordedAction(action: Action, context: Pick<ExecutorContext, 'engine' | 'compose' | 'run'>): Promise<Action> {
	return (await applierOf(action).record?.(action, context)) ?? action;
}

/** A resumed action that the killed run already finished (its kind's `finishedSince` says) is not done twice. */
async function finishedSinceIntent(context: ExecutorContext, action: Action, id: string): Promise<boolean> {
	const finishedSince = applierOf(action).finishedSince;
	if (!finishedSince) return false;
	const intent = context.journal
		.since(0)
		.filter(
			(entry) => entry.id === id && entry.phase === 'intent' && entry.iteration === context.iteration && entry.run === context.run,
		)
		.at(-1);
	return intent ? finishedSince(action, context, intent.at) : false;
}

/**
 * Runs a step's actions. `known` holds each action id's journaled outcome from an earlier,
 * interrupted run of the same step: `done` is skipped; an intent without outcome is applied
 * again (idempotently, so it completes or is found done).
 */
export async function runActions(
	step: string,
	actions: Action[],
	context: ExecutorContext,
	known: Map<string, JournalPhase> = new Map(),
	idBase = step,
): Promise<{applied: number; already: number; durations: Map<string, number>}> {
	const total = actions.length;
	let finished = 0;
	let applied = 0;
	let already = 0;
	const durations = new Map<string, number>();
	const ids = actions.map((_, index) => `${idBase}-${index + 1}`);

	const runOne = async (action: Action, id: string) => {
		const description = describe(action);
		if (known.get(id) === 'done') {
			finished++;
			already++;
			context.emit({type: 'action-done', step, id, description, durationMs: 0, already: true, done: finished, total});
			return;
		}
		if (known.get(id) === 'intent' && (await finishedSinceIntent(context, action, id))) {
			await context.journal.commit({run: context.run, iteration: context.iteration, step, id, phase: 'done', durationMs: 0});
			finished++;
			already++;
			context.emit({type: 'action-done', step, id, description, durationMs: 0, already: true, done: finished, total});
			return;
		}
		const recorded = await recordedAction(action, context);
		await context.journal.commit({run: context.run, iteration: context.iteration, step, id, phase: 'intent', action: recorded});
		context.emit({type: 'action-start', step, id, description});
		const started = performance.now();
		try {
			const outcome = await applyAction(recorded, context);
			const changed = typeof outcome === 'boolean' ? outcome : outcome.changed;
			const durationMs = Math.round(performance.now() - started);
			durations.set(id, durationMs);
			const downtime = typeof outcome === 'boolean' ? {} : {downtimeMs: outcome.downtimeMs};
			await context.journal.commit({
				run: context.run,
				iteration: context.iteration,
				step,
				id,
				phase: 'done',
				durationMs,
				...downtime,
			});
			finished++;
			if (changed) applied++;
			else already++;
			context.emit({type: 'action-done', step, id, description, durationMs, already: !changed, done: finished, total});
		} catch (error) {
			const message = error instanceof Error ? error.message : String(error);
			await context.journal.commit({run: context.run, iteration: context.iteration, step, id, phase: 'failed', error: message});
			context.emit({
				type: 'action-failed',
				step,
				id,
				description,
				error: message,
				...(error instanceof NetmigrateError && error.hint ? {hint: error.hint} : {}),
			});
			throw error;
		}
	};

	let index = 0;
	while (index < actions.length) {
		if (context.stopRequested()) throw new StopRequested(`stopped before ${describe(actions[index] as Action)}`);
		const action = actions[index] as Action;
		if (concurrencyKey(action) === undefined) {
			await runOne(action, ids[index] as string);
			index++;
			continue;
		}
		// A run of one pooled kind: a bounded pool, never two on one container (or network) at once.
		let end = index;
		while (end < actions.length && (actions[end] as Action).kind === action.kind) end++;
		const batch = actions.slice(index, end).map((item, offset) => ({action: item, id: ids[index + offset] as string}));
		await runPool(batch, context, runOne);
		index = end;
	}
	return {applied, already, durations};
}

async function runPool(
	batch: Array<{action: Action; id: string}>,
	context: ExecutorContext,
	runOne: (action: Action, id: string) => Promise<void>,
): Promise<void> {
	const busy = new Set<string>();
	const pending = [...batch];
	const running = new Set<Promise<void>>();
	let failure: unknown;
	while ((pending.length > 0 && failure === undefined) || running.size > 0) {
		while (failure === undefined && running.size < context.concurrency && pending.length > 0 && !context.stopRequested()) {
			const position = pending.findIndex((item) => !busy.has(concurrencyKey(item.action) as string));
			if (position < 0) break;
			const [item] = pending.splice(position, 1) as [{action: Action; id: string}];
			const key = concurrencyKey(item.action) as string;
			busy.add(key);
			const task: Promise<void> = runOne(item.action, item.id)
				.catch((error: unknown) => {
					failure ??= error;
				})
				.finally(() => {
					busy.delete(key);
					running.delete(task);
				});
			running.add(task);
		}
		if (running.size === 0) break;
		await Promise.race(running);
	}
	if (failure !== undefined) throw failure;
	if (pending.length > 0 && context.stopRequested())
		throw new StopRequested(`stopped before ${describe((pending[0] as {action: Action}).action)}`);
}
