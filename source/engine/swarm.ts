/**
 * A swarm stack through the engine API (the manager's): whether the engine is a manager, the
 * stack's services with their networks as names, and updates of one service's networks or one
 * variable of its environment that wait until its tasks run the new spec (and, with a
 * healthcheck, are healthy).
 */
import type Docker from 'dockerode';
import {envValue, withEnvValue, type RunKind, type SwarmAttachment, type SwarmService} from '../domain.js';
import {NetmigrateError, wayOn} from '../errors.js';
import type {Engine} from './docker.js';
import {shortServiceName} from './stack-labels.js';

export type SwarmRole = {state: string; manager: boolean; nodes: number};

type UpdateOrder = 'start-first' | 'stop-first';

export async function swarmRole(engine: Engine): Promise<SwarmRole> {
	const info = (await engine.docker.info()) as {Swarm?: {LocalNodeState?: string; ControlAvailable?: boolean; Nodes?: number}};
	return {state: info.Swarm?.LocalNodeState ?? 'inactive', manager: info.Swarm?.ControlAvailable ?? false, nodes: info.Swarm?.Nodes ?? 0};
}

type ServiceSpec = {
	Name: string;
	Labels?: Record<string, string>;
	TaskTemplate: {
		ContainerSpec?: {Image?: string; Env?: string[]; Mounts?: unknown[]};
		Networks?: Array<{Target: string; Aliases?: string[]}>;
	};
	Networks?: Array<{Target: string; Aliases?: string[]}>;
	Mode?: {Replicated?: {Replicas?: number}};
	UpdateConfig?: Record<string, unknown>;
};

/** Network id → name, for the ids a service's spec holds. */
async function networkNames(engine: Engine): Promise<Map<string, string>> {
	const networks = await engine.docker.listNetworks();
	return new Map(networks.map((network) => [network.Id, network.Name]));
}

function attachmentsOf(spec: ServiceSpec, names: Map<string, string>): SwarmAttachment[] {
	return (spec.TaskTemplate.Networks ?? spec.Networks ?? []).map((attachment) => ({
		network: names.get(attachment.Target) ?? attachment.Target,
		aliases: attachment.Aliases ?? [],
	}));
}

/** The services of stack `stack` (label com.docker.stack.namespace), by their short name. */
export async function listStackServices(engine: Engine, stack: string): Promise<Map<string, SwarmService>> {
	const [services, names] = await Promise.all([
		engine.docker.listServices({filters: {label: [`com.docker.stack.namespace=${stack}`]}}),
		networkNames(engine),
	]);
	const result = new Map<string, SwarmService>();
	for (const service of services) {
		const spec = service.Spec as unknown as ServiceSpec;
		const short = shortServiceName(stack, spec.Name);
		const replicas = spec.Mode?.Replicated?.Replicas;
		result.set(short, {
			id: service.ID as string,
			name: spec.Name,
			version: service.Version?.Index ?? 0,
			networks: attachmentsOf(spec, names),
			env: spec.TaskTemplate.ContainerSpec?.Env ?? [],
			...(replicas === undefined ? {} : {replicas}),
			mounts: spec.TaskTemplate.ContainerSpec?.Mounts?.length ?? 0,
			...(spec.TaskTemplate.ContainerSpec?.Image ? {image: spec.TaskTemplate.ContainerSpec.Image} : {}),
		});
	}
	return result;
}

const sameAttachments = (a: SwarmAttachment[], b: SwarmAttachment[]) => {
	const key = (list: SwarmAttachment[]) => JSON.stringify(list.map((item) => [item.network, [...item.aliases].sort()]).sort());
	return key(a) === key(b);
};

/**
 * Sets a service's networks (with their aliases) in one spec update, as `docker service update
 * --network-add` does. Returns false when the networks already were `networks`.
 */
export async function updateServiceNetworks(
	engine: Engine,
	name: string,
	networks: SwarmAttachment[],
	order: UpdateOrder,
	options: UpdateOptions = {},
): Promise<boolean> {
	const names = await networkNames(engine);
	return updateTaskTemplate(engine, name, order, options, (spec) => {
		if (sameAttachments(attachmentsOf(spec, names), networks)) return undefined;
		const changed: ServiceSpec = {
			...spec,
			TaskTemplate: {...spec.TaskTemplate, Networks: networks.map((item) => ({Target: item.network, Aliases: item.aliases}))},
		};
		delete changed.Networks;
		return changed;
	});
}

/**
 * Sets one variable of a service's environment (`value` undefined: removes it) in one spec update,
 * as `docker service update --env-add` does, keeping every other entry and the order. Returns
 * false when the variable already was `value`.
 */
export async function updateServiceEnv(
	engine: Engine,
	name: string,
	variable: string,
	value: string | undefined,
	order: UpdateOrder,
	options: UpdateOptions = {},
): Promise<boolean> {
	return updateTaskTemplate(engine, name, order, options, (spec) => {
		const container = spec.TaskTemplate.ContainerSpec ?? {};
		const env = container.Env ?? [];
		if (envValue(env, variable) === value) return undefined;
		return {...spec, TaskTemplate: {...spec.TaskTemplate, ContainerSpec: {...container, Env: withEnvValue(env, variable, value)}}};
	});
}

/**
 * One update of a service's task template: `change` gives the spec to set (undefined: it already
 * is so, and nothing happens); it is sent with the version index it was read at and `order`
 * (start-first/stop-first) for this update, then, once the tasks run it, the service's own update
 * order is put back (a change outside the task template restarts nothing).
 */
/** How long an update may take to converge, and in which direction it runs (for its hints). */
export type UpdateOptions = {timeoutMs?: number; run?: RunKind};

async function updateTaskTemplate(
	engine: Engine,
	name: string,
	order: UpdateOrder,
	options: UpdateOptions,
	change: (spec: ServiceSpec) => ServiceSpec | undefined,
): Promise<boolean> {
	const service = engine.docker.getService(name);
	const info = (await service.inspect()) as {Version: {Index: number}; Spec: ServiceSpec};
	const changed = change(info.Spec);
	if (!changed) return false;
	const ownConfig = info.Spec.UpdateConfig;
	await service.update({_query: {version: info.Version.Index}, _body: {...changed, UpdateConfig: {...ownConfig, Order: order}}} as never);
	await waitConverged(engine, name, options.timeoutMs ?? 120_000, options.run ?? 'apply');
	const after = (await service.inspect()) as {Version: {Index: number}; Spec: ServiceSpec};
	const restored: ServiceSpec = {...after.Spec};
	if (ownConfig) restored.UpdateConfig = ownConfig;
	else delete restored.UpdateConfig;
	await service.update({_query: {version: after.Version.Index}, _body: restored} as never);
	return true;
}

type TaskSpec = ServiceSpec['TaskTemplate'];
type Task = {Spec?: TaskSpec; Status?: {State?: string; ContainerStatus?: {ContainerID?: string}}};

/**
 * What netmigrate changes of a task template, as one comparable text: the networks' targets (in
 * any order) and the environment (in its order). A task made from the service's spec as it is now
 * carries the same; comparing the whole template would trip on fields the manager fills in.
 */
const changedParts = (template: TaskSpec | undefined, serviceNetworks?: Array<{Target: string}>) =>
	JSON.stringify([(template?.Networks ?? serviceNetworks ?? []).map((item) => item.Target).sort(), template?.ContainerSpec?.Env ?? []]);

/**
 * Until every task meant to run was made from the service's spec as it is now (its networks and
 * environment) and is running — and healthy, where its container says so — and the update is no
 * longer going.
 */
async function waitConverged(engine: Engine, name: string, timeoutMs: number, run: RunKind): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	let last = '';
	while (Date.now() < deadline) {
		const info = (await engine.docker.getService(name).inspect()) as {
			Spec: ServiceSpec;
			UpdateStatus?: {State?: string; Message?: string};
		};
		const state = info.UpdateStatus?.State ?? 'none';
		if (state === 'paused' || state === 'rollback_completed' || state === 'rollback_paused') {
			throw new NetmigrateError(`swarm stopped the update of ${name}: ${info.UpdateStatus?.Message ?? state}`, {
				hint: `look at \`docker service ps ${name} --no-trunc\`; fix the cause, ${wayOn(run)}`,
			});
		}
		const want = changedParts(info.Spec.TaskTemplate, info.Spec.Networks);
		const tasks = (await engine.docker.listTasks({filters: {service: [name], 'desired-state': ['running']}})) as Task[];
		const current = tasks.filter((task) => task.Status?.State === 'running' && changedParts(task.Spec) === want);
		last = `update ${state}, ${current.length}/${tasks.length} tasks running the new spec`;
		if (state !== 'updating' && tasks.length > 0 && current.length === tasks.length && (await healthy(engine.docker, current))) return;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	throw new NetmigrateError(`${name} did not converge within ${Math.round(timeoutMs / 1000)} s (${last})`, {
		hint: `look at \`docker service ps ${name}\`; once its tasks run, ${wayOn(run)}`,
	});
}

/** Whether the tasks' containers on this engine pass their healthchecks (a task on another node counts as its state says). */
async function healthy(docker: Docker, tasks: Array<{Status?: {ContainerStatus?: {ContainerID?: string}}}>): Promise<boolean> {
	for (const task of tasks) {
		const id = task.Status?.ContainerStatus?.ContainerID;
		if (!id) continue;
		const container = await docker
			.getContainer(id)
			.inspect()
			.catch(() => undefined);
		const health = container?.State.Health?.Status;
		if (health && health !== 'healthy') return false;
	}
	return true;
}
