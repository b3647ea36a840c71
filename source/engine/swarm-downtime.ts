/**
 * How long a swarm service was down during one spec update, from the swarm's own task records,
 * not a clock of ours: per slot (a replica's number, or a global service's node), the gap between
 * the end of the task the update replaced and the moment its successor ran — `running` means its
 * healthcheck passed, the swarm holds a task in `starting` until then. A start-first update's new
 * task runs before the old one ends: no gap. The service's downtime is its worst slot's.
 */
import type {Engine} from './docker.js';

type Task = {ID: string; Slot?: number; NodeID?: string; DesiredState?: string; Status?: {State?: string; Timestamp?: string}};

const slotOf = (task: Task) => String(task.Slot ?? task.NodeID ?? task.ID);

async function tasksOf(engine: Engine, service: string): Promise<Task[]> {
	return (await engine.docker.listTasks({filters: {service: [service]}})) as Task[];
}

/** The ids of the tasks meant to run now: the ones an update is about to replace. */
export async function runningTaskIds(engine: Engine, service: string): Promise<Set<string>> {
	return new Set((await tasksOf(engine, service)).filter((task) => task.DesiredState === 'running').map((task) => task.ID));
}

/** After an update converged: the longest gap, over the slots, between a replaced task's end and its successor's running. */
export async function updateDowntime(engine: Engine, service: string, replaced: Set<string>): Promise<number> {
	return downtimeOf(await tasksOf(engine, service), replaced);
}

export function downtimeOf(tasks: Task[], replaced: Set<string>): number {
	let worst = 0;
	for (const old of tasks.filter((task) => replaced.has(task.ID))) {
		const successor = tasks.find(
			(task) =>
				!replaced.has(task.ID) &&
				slotOf(task) === slotOf(old) &&
				task.DesiredState === 'running' &&
				task.Status?.State === 'running',
		);
		const ended = Date.parse(old.Status?.Timestamp ?? '');
		const running = Date.parse(successor?.Status?.Timestamp ?? '');
		if (!successor || old.DesiredState === 'running' || Number.isNaN(ended) || Number.isNaN(running)) continue;
		worst = Math.max(worst, running - ended);
	}
	return worst;
}
