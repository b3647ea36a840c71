/**
 * A second swarm node on this machine: a network namespace made for the test (`ip netns`), joined
 * to the host's by one veth pair that carries the only addresses the two nodes speak on
 * (10.233.0.1 the manager, 10.233.0.2 the worker), and a private dockerd of the same release
 * inside it, joined to the manager's swarm as a worker. Overlay traffic between the nodes is real
 * VXLAN over that pair; the worker has no other route, so nothing it runs reaches anything else.
 */
import {execFileSync} from 'node:child_process';
import Docker from 'dockerode';
import {ensureBusyboxImage} from '../../source/engine/image.js';
import {startPrivateEngine, stopPrivateEngine, type PrivateEngine} from '../../source/sandbox/private-engine.js';

export const managerAddress = '10.233.0.1';
export const workerAddress = '10.233.0.2';
const namespace = 'nm-swarm-w1';
const hostEnd = 'nm-sw0';
const workerEnd = 'nm-sw1';

export type WorkerNode = {engine: PrivateEngine; docker: Docker; nodeId: string};

const ip = (...args: string[]) => execFileSync('ip', args, {stdio: ['ignore', 'ignore', 'pipe']});

/** The namespace and its veth pair, made anew (a crashed run's are removed first). */
export function makeNodeNetwork(): void {
	removeNodeNetwork();
	ip('netns', 'add', namespace);
	ip('link', 'add', hostEnd, 'type', 'veth', 'peer', 'name', workerEnd);
	ip('link', 'set', workerEnd, 'netns', namespace);
	ip('addr', 'add', `${managerAddress}/30`, 'dev', hostEnd);
	ip('link', 'set', hostEnd, 'up');
	ip('-n', namespace, 'addr', 'add', `${workerAddress}/30`, 'dev', workerEnd);
	ip('-n', namespace, 'link', 'set', workerEnd, 'up');
	ip('-n', namespace, 'link', 'set', 'lo', 'up');
}

/** Deleting the namespace deletes its end of the pair, and with it the host's end. */
export function removeNodeNetwork(): void {
	try {
		ip('netns', 'del', namespace);
	} catch {
		// None left from an earlier run.
	}
	try {
		ip('link', 'del', hostEnd);
	} catch {
		// Gone with the namespace.
	}
}

/** A dockerd in the namespace, joined as a worker to the swarm `manager` leads, with the busybox image (the stack's and the probes'). */
export async function joinWorker(manager: Docker): Promise<WorkerNode> {
	const engine = await startPrivateEngine({netns: namespace});
	const docker = new Docker({socketPath: engine.socketPath});
	try {
		await ensureBusyboxImage(docker);
		const swarm = (await manager.swarmInspect()) as {JoinTokens: {Worker: string}};
		await docker.swarmJoin({
			ListenAddr: `${workerAddress}:2377`,
			AdvertiseAddr: workerAddress,
			RemoteAddrs: [`${managerAddress}:2377`],
			JoinToken: swarm.JoinTokens.Worker,
		});
		const info = (await docker.info()) as {Swarm: {NodeID: string}};
		await readyOnManager(manager, info.Swarm.NodeID);
		return {engine, docker, nodeId: info.Swarm.NodeID};
	} catch (error) {
		await stopPrivateEngine(engine);
		throw error;
	}
}

async function readyOnManager(manager: Docker, nodeId: string): Promise<void> {
	const deadline = Date.now() + 30_000;
	while (Date.now() < deadline) {
		const node = (await manager
			.getNode(nodeId)
			.inspect()
			.catch(() => undefined)) as {Status?: {State?: string}} | undefined;
		if (node?.Status?.State === 'ready') return;
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	throw new Error(`the worker node ${nodeId} did not become ready on the manager`);
}

/** The worker leaves, its engine stops, the manager forgets it; then the namespace goes. */
export async function removeWorker(manager: Docker, worker: WorkerNode | undefined): Promise<void> {
	if (worker) {
		await worker.docker.swarmLeave({force: true}).catch(() => undefined);
		await stopPrivateEngine(worker.engine);
		// A node that left is down until the manager forgets it; its removal is best effort.
		await new Promise((resolve) => {
			manager.getNode(worker.nodeId).remove({force: true}, () => resolve(undefined));
		});
	}
	removeNodeNetwork();
}
