/**
 * The executor: applies a step's actions in order, journaling each intent (fsync'd) before it
 * acts and its outcome after. Every action is idempotent — applied again after a crash it
 * sees the work already done and does nothing — so a resumed step replays its recorded list.
 * Network creates/removes and connects/disconnects run side by side (bounded, never two on one
 * network or container at once), the rest in order.
 */
import {concurrencyKey, describe, type Action, type ServiceRecreate} from './actions.js';
import {recreateServices, type ComposeProject} from './engine/compose.js';
import type {Engine} from './engine/docker.js';
import {alreadyRecreated} from './engine/recreated.js';
import {followerProject, rejoinFollowers, serviceContainers, type Owner} from './engine/followers.js';
import {applyFileWrite, type KeepReplaced} from './file-write.js';
import {managedLabel, managedValue, type HealthBaseline, type RunKind} from './domain.js';
import {recreateGated} from './health-gate.js';
import {recreateNamespace} from './namespace-recreate.js';
import {endpointRecord} from './membership.js';
import {updateServiceEnv, updateServiceNetworks} from './engine/swarm.js';
import {runningTaskIds, updateDowntime} from './engine/swarm-downtime.js';
import {NetmigrateError, wayOn} from './errors.js';
import type {Emit} from './events.js';
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
};

/** What applying one action needs: where, and — for its hints and its health gate — in which direction and against what start. */
export type ApplyContext = Pick<ExecutorContext, 'engine' | 'compose'> & Partial<Pick<ExecutorContext, 'run' | 'baseline' | 'keepReplaced'>> & {emit?: Emit};

export class StopRequested extends Error {
	override readonly name = 'StopRequested';
}

/** Applies an action unless the engine or the file already shows it done. Returns false when there was nothing to do. */
/** Whether the action changed anything; a swarm update also how long its service was down. */
export type Applied = boolean | {changed: true; downtimeMs: number};

export async function applyAction(action: Action, context: ApplyContext): Promise<Applied> {
	const {engine} = context;
	const run = context.run ?? 'apply';
	switch (action.kind) {
		case 'network.create': {
			const existing = await engine.inspectNetwork(action.network);
			if (existing) {
				const subnet = existing.subnets[0]?.subnet;
				if (subnet !== action.subnet || existing.internal !== action.internal) {
					throw new NetmigrateError(`network ${action.network} exists with other settings (${subnet ?? 'no subnet'}, internal ${existing.internal})`, {
						where: {network: action.network},
						hint: 'a subnet or internal flag cannot change in place; rename the planned network or remove the existing one once unused',
					});
				}
				return false;
			}
			const {kind: _kind, network: name, ...settings} = action;
			await engine.createNetwork({name, ...settings});
			return true;
		}
		case 'network.remove': {
			const existing = await engine.inspectNetwork(action.network);
			if (!existing) return false;
			if (existing.labels[managedLabel] !== managedValue) {
				throw new NetmigrateError(`network ${action.network} was not created by netmigrate; it is left in place`, {where: {network: action.network}});
			}
			if (existing.members.length > 0) {
				throw new NetmigrateError(`network ${action.network} still has containers attached: ${existing.members.map((member) => member.name).join(', ')}`, {
					where: {network: action.network},
					hint: `they joined it outside this iteration; disconnect them (\`docker network disconnect\`), ${wayOn(run)}`,
				});
			}
			await engine.removeNetwork(action.network);
			return true;
		}
		case 'network.connect': {
			const container = await requireContainer(engine, action.container, run);
			if (container.networks.some((endpoint) => endpoint.network === action.network)) return false;
			await engine.connect(action.network, action.container, {aliases: action.aliases, ...(action.ipv4 ? {ipv4: action.ipv4} : {}), ...(action.ipv6 ? {ipv6: action.ipv6} : {}), ...(action.gwPriority === undefined ? {} : {gwPriority: action.gwPriority})});
			return true;
		}
		case 'network.disconnect': {
			const container = await engine.inspectContainer(action.container);
			if (!container || !container.networks.some((endpoint) => endpoint.network === action.network)) return false;
			await engine.disconnect(action.network, action.container);
			return true;
		}
		case 'file.write':
			return applyFileWrite(action, run, context.keepReplaced);
		case 'swarm.update':
		case 'swarm.env': {
			// A spec update replaces the service's tasks: how long it had none running is its downtime.
			const replaced = await runningTaskIds(context.engine, action.service);
			const changed = action.kind === 'swarm.update' ? await updateServiceNetworks(context.engine, action.service, action.after, action.order, {run}) : await updateServiceEnv(context.engine, action.service, action.variable, action.after, action.order, {run});
			return changed ? {changed, downtimeMs: await updateDowntime(context.engine, action.service, replaced)} : false;
		}
		case 'service.recreate': {
			const owners = context.compose.name ? await serviceContainers(context.engine, context.compose.name, action.service) : [];
			const gate = {...context, run};
			const options = {withDependencies: action.withDependencies ?? false};
			if (action.dependents.length > 0) await recreateNamespace(gate, action.service, action.dependents, options);
			else await recreateGated(gate, [action.service], options);
			await rejoin(context, action.service, owners);
			return true;
		}
	}
}

/**
 * What the journal's intent records of an action: a disconnect also the endpoint it is about to
 * remove, read now — the aliases and pinned addresses it was configured with — so its inverse
 * reconnects exactly. Only an apply's: a rollback's disconnects are never undone. A container
 * already off the network (a replay after a crash) has nothing to read; the first intent's
 * record stands (`replayedIntent`).
 */
export async function recordedAction(action: Action, context: Pick<ExecutorContext, 'engine' | 'run'>): Promise<Action> {
	if (action.kind !== 'network.disconnect' || action.endpoint || context.run !== 'apply') return action;
	const container = await context.engine.inspectContainer(action.container);
	const endpoint = container?.networks.find((item) => item.network === action.network);
	if (!container || !endpoint) return action;
	const {network: _network, ...configured} = endpointRecord(endpoint, container.id);
	// Engine 28 reports every endpoint's GwPriority; 0 is the default a plain connect gets anyway.
	return {...action, endpoint: {...configured, ...(endpoint.gwPriority ? {gwPriority: endpoint.gwPriority} : {})}};
}

/**
 * Containers of any project in the recreated service's old namespace: restarted into the new one
 * when they name it, recreated from their own compose project when compose pinned its old id.
 */
async function rejoin(context: ApplyContext, service: string, owners: Owner[]): Promise<void> {
	const {restarted, stranded} = await rejoinFollowers(context.engine, owners, new Set());
	const log = (message: string) => context.emit?.({type: 'log', level: 'info', message});
	for (const name of restarted) log(`restarted ${name}: it shares ${service}'s network namespace (network_mode: container:…), which the recreate replaced`);
	const orphans: string[] = [];
	for (const follower of stranded) {
		const origin = followerProject(follower, context.compose.host);
		if (!origin) {
			orphans.push(follower.name);
			continue;
		}
		await recreateServices(origin.project, [origin.service], {run: context.run ?? 'apply'});
		log(`recreated ${follower.name} in its own compose project ${origin.project.name}: it shares ${service}'s network namespace, which the recreate replaced`);
	}
	if (orphans.length > 0) {
		throw new NetmigrateError(`${orphans.join(', ')} shared the network namespace of ${service}'s old container by its id, and have only lo now`, {
			hint: `recreate them as you created them (they are not from a compose project), ${wayOn(context.run ?? 'apply')}`,
		});
	}
}

/** A resumed recreate that the killed run already finished (engine and compose agree) is not done twice. */
async function recreatedSinceIntent(context: ExecutorContext, action: ServiceRecreate, id: string): Promise<boolean> {
	const intent = context.journal
		.since(0)
		.filter((entry) => entry.id === id && entry.phase === 'intent' && entry.iteration === context.iteration && entry.run === context.run)
		.at(-1);
	return intent ? alreadyRecreated(context.engine, context.compose, action, intent.at) : false;
}

async function requireContainer(engine: Engine, name: string, run: RunKind) {
	const container = await engine.inspectContainer(name);
	if (!container) {
		throw new NetmigrateError(`container ${name} does not exist`, {hint: `start the stack (\`docker compose up -d\`): netmigrate connects running containers; ${wayOn(run)}`});
	}
	if (container.state !== 'running') {
		throw new NetmigrateError(`container ${name} is ${container.state}, not running`, {hint: `start it (\`docker start ${name}\`), ${wayOn(run)}`});
	}
	return container;
}

/**
 * Runs a step's actions. `known` holds each action id's journaled outcome from an earlier,
 * interrupted run of the same step: `done` is skipped; an intent without outcome is applied
 * again (idempotently, so it completes or is found done).
 */
export async function runActions(step: string, actions: Action[], context: ExecutorContext, known: Map<string, JournalPhase> = new Map(), idBase = step): Promise<{applied: number; already: number; durations: Map<string, number>}> {
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
		if (known.get(id) === 'intent' && action.kind === 'service.recreate' && (await recreatedSinceIntent(context, action, id))) {
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
			await context.journal.commit({run: context.run, iteration: context.iteration, step, id, phase: 'done', durationMs, ...downtime});
			finished++;
			if (changed) applied++;
			else already++;
			context.emit({type: 'action-done', step, id, description, durationMs, already: !changed, done: finished, total});
		} catch (error) {
			const message = error instanceof Error ? error.message : String(error);
			await context.journal.commit({run: context.run, iteration: context.iteration, step, id, phase: 'failed', error: message});
			context.emit({type: 'action-failed', step, id, description, error: message, ...(error instanceof NetmigrateError && error.hint ? {hint: error.hint} : {})});
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
	if (pending.length > 0 && context.stopRequested()) throw new StopRequested(`stopped before ${describe((pending[0] as {action: Action}).action)}`);
}
