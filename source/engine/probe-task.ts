/**
 * A probe from another swarm node. The manager cannot exec in a container another node runs, so
 * the probe is a one-off swarm service: one task, placed on the source task's node
 * (`node.id==…`), joined to the source's overlays, never restarted; it resolves the target's name
 * and probes the target's address with the same lines a local probe runs, and its answer is read
 * from its logs. The service carries the probe and stack labels (a crashed run's are swept) and
 * is removed as soon as it answered.
 */
import {randomBytes} from 'node:crypto';
import {probeLabel} from '../domain.js';
import {NetmigrateError} from '../errors.js';
import type {Engine} from './docker.js';
import {stackLabel, taskOutcome, taskScript, type ProbeOutcome} from './probe-script.js';

/** Where a probe task stands in for the source: the source task's node and the overlays it is on. */
export type Vantage = {node: string; networks: string[]};

export type NodeProbe = {resolved: string[]; address?: string; probe?: ProbeOutcome};

type ProbeTaskInput = {
	stack: string;
	image: string;
	vantage: Vantage;
	name: string;
	address: string | undefined;
	port: number;
	timeoutSeconds: number;
};

type TaskRecord = {Status?: {State?: string; Err?: string}};

const ended = new Set(['complete', 'failed', 'rejected', 'shutdown', 'orphaned', 'remove']);

export async function runProbeTask(engine: Engine, input: ProbeTaskInput): Promise<NodeProbe> {
	const labels = {[probeLabel]: '1', [stackLabel]: input.stack};
	const created = (await engine.docker.createService({
		Name: `netmigrate-probe-${input.stack}-${randomBytes(4).toString('hex')}`,
		Labels: labels,
		TaskTemplate: {
			ContainerSpec: {
				Image: input.image,
				Command: ['sh', '-c', taskScript(input.timeoutSeconds), 'probe', input.address ?? '', String(input.port), input.name],
				Labels: labels,
			},
			RestartPolicy: {Condition: 'none'},
			Placement: {Constraints: [`node.id==${input.vantage.node}`]},
			Networks: input.vantage.networks.map((network) => ({Target: network})),
		},
		Mode: {Replicated: {Replicas: 1}},
		// No virtual IP: nothing ever connects to a probe.
		EndpointSpec: {Mode: 'dnsrr'},
	} as never)) as {id?: string; ID?: string};
	const id = (created.id ?? created.ID) as string;
	const service = engine.docker.getService(id);
	try {
		const task = await taskEnded(engine, id, (input.timeoutSeconds * 2 + 40) * 1000);
		if (task.Status?.State !== 'complete') {
			throw new NetmigrateError(
				`the probe task on node ${input.vantage.node.slice(0, 12)} did not run: ${task.Status?.Err ?? task.Status?.State ?? 'no task'}`,
				{
					hint: 'the probe image must be on every node that runs a checked service (`docker pull` it there, or pass --probe-image with one they have)',
				},
			);
		}
		return await answer(service);
	} finally {
		await service.remove().catch(() => undefined);
	}
}

async function taskEnded(engine: Engine, service: string, timeoutMs: number): Promise<TaskRecord> {
	const deadline = Date.now() + timeoutMs;
	let last: TaskRecord = {};
	while (Date.now() < deadline) {
		const tasks = (await engine.docker.listTasks({filters: {service: [service]}})) as TaskRecord[];
		last = tasks[0] ?? {};
		if (ended.has(last.Status?.State ?? '')) return last;
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	return last;
}

/** The task's log; the swarm's log broker may lag the task's end by a moment, so a log without the end marker is read again. */
async function answer(service: {logs: (options: object) => Promise<unknown>}): Promise<NodeProbe> {
	let log = '';
	for (let attempt = 0; attempt < 20; attempt++) {
		log = demultiplex((await service.logs({stdout: true, stderr: true, follow: false})) as Buffer | string);
		const outcome = taskOutcome(log);
		if (outcome.finished) return outcome;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	throw new NetmigrateError(`a probe task's answer could not be read from its logs (read: ${log.slice(0, 200) || 'nothing'})`, {
		hint: 'run the same command again to re-run the checks',
	});
}

/** A log without a terminal comes framed: 8 bytes (stream, 0, 0, 0, length) before each chunk. */
export function demultiplex(raw: Buffer | string): string {
	const buffer = typeof raw === 'string' ? Buffer.from(raw, 'binary') : raw;
	if (buffer.length < 8 || buffer[0]! > 2 || buffer[1] !== 0) return buffer.toString('utf8');
	const parts: Buffer[] = [];
	let offset = 0;
	while (offset + 8 <= buffer.length) {
		const size = buffer.readUInt32BE(offset + 4);
		parts.push(buffer.subarray(offset + 8, offset + 8 + size));
		offset += 8 + size;
	}
	return Buffer.concat(parts).toString('utf8');
}
