/**
 * A swarm stack's tasks on every node, as the manager knows them. The manager's engine lists only
 * the task containers it runs itself; a task on another node is known by its task record alone —
 * its node, its state and its addresses on each overlay — and counts as a container of the stack
 * with `node` set, so checks, health and membership see the whole stack. A task reaches `running`
 * only once its container's healthcheck passed (the swarm holds it in `starting` until then), and
 * one that turns unhealthy later is replaced, so a remote task that runs is a healthy one.
 */
import type {ContainerInfo, Target} from '../domain.js';
import type {Engine} from './docker.js';
import {shortServiceName} from './stack-labels.js';

type Task = {
	ID: string;
	ServiceID: string;
	NodeID?: string;
	Slot?: number;
	Status?: {State?: string; ContainerStatus?: {ContainerID?: string}};
	DesiredState?: string;
	NetworksAttachments?: Array<{Network?: {Spec?: {Name?: string}}; Addresses?: string[]}>;
	Spec?: {ContainerSpec?: {Image?: string}};
};

/** This engine's node id in its swarm (empty when it is in none). */
export async function localNodeId(engine: Engine): Promise<string> {
	const info = (await engine.docker.info()) as {Swarm?: {NodeID?: string}};
	return info.Swarm?.NodeID ?? '';
}

/** The stack's containers: this engine's, and on a swarm its tasks on the other nodes too. */
export async function stackContainers(engine: Engine, project: string, target: Target = 'compose'): Promise<ContainerInfo[]> {
	const local = await engine.listContainers(project);
	return target === 'swarm' ? withRemoteTasks(engine, project, local) : local;
}

/**
 * `local` (this engine's containers of the stack) with the stack's tasks on other nodes added:
 * each task meant to run there, in whatever state it is (a task still `starting` or `pending` is
 * not up, and health must say so).
 */
export async function withRemoteTasks(engine: Engine, stack: string, local: ContainerInfo[]): Promise<ContainerInfo[]> {
	const [services, tasks, here] = await Promise.all([
		engine.docker.listServices({filters: {label: [`com.docker.stack.namespace=${stack}`]}}),
		engine.docker.listTasks({filters: {'desired-state': ['running']}}) as Promise<Task[]>,
		localNodeId(engine),
	]);
	const names = new Map(services.map((service) => [service.ID as string, (service.Spec as {Name: string}).Name]));
	const remote = tasks.filter((task) => names.has(task.ServiceID) && task.NodeID !== here && task.DesiredState === 'running');
	return [...local, ...remote.map((task) => taskContainer(task, stack, names.get(task.ServiceID) as string))];
}

function taskContainer(task: Task, stack: string, serviceName: string): ContainerInfo {
	const service = shortServiceName(stack, serviceName);
	const slot = `${serviceName}.${task.Slot ?? task.NodeID ?? task.ID}`;
	const state = task.Status?.State ?? 'unknown';
	return {
		id: task.Status?.ContainerStatus?.ContainerID ?? task.ID,
		name: `${slot}.${task.ID}`,
		slot,
		project: stack,
		service,
		state,
		pid: 0,
		health: 'none',
		networkMode: 'default',
		networks: (task.NetworksAttachments ?? [])
			.filter((attachment) => attachment.Network?.Spec?.Name && attachment.Network.Spec.Name !== 'ingress')
			.map((attachment) => ({
				network: attachment.Network?.Spec?.Name as string,
				ipv4: (attachment.Addresses?.[0] ?? '').split('/')[0] as string,
				aliases: [],
				gateway: '',
			})),
		env: [],
		image: task.Spec?.ContainerSpec?.Image ?? '',
		labels: {'com.docker.stack.namespace': stack},
		...(task.NodeID ? {node: task.NodeID} : {}),
	};
}
