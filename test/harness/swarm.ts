/**
 * A swarm on the tests' private engine — one node, or two with a worker in its own network
 * namespace (swarm-nodes.ts) — with the example stack deployed as a swarm stack
 * (examples/swarm-stack), the swarm's own address pool kept to 10.232.0.0/16, the stack's
 * networks to 10.231.0.0/16; left again after the file.
 */
import {cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before} from 'node:test';
import type Docker from 'dockerode';
import {execa} from 'execa';
import {sha256} from '../../source/hash.js';
import {repoRoot, stopTestEngine, testEngine, type TestEngine} from './engine.js';
import {joinWorker, makeNodeNetwork, managerAddress, removeWorker, type WorkerNode} from './swarm-nodes.js';

export type SwarmState = {
	files: Record<string, string>;
	services: Record<string, {networks: string[]; aliases: Record<string, string[]>; env: string[]}>;
};
export type SwarmSuite = {engine: TestEngine; root: string; start: SwarmState; worker?: WorkerNode};
/** Two nodes, and which services the stack file places on the worker (the rest on the manager). */
export type SwarmOptions = {worker?: {services: string[]}};

const stack = 'media';

/** A swarm led by `docker`, on `address` (loopback for one node), its own address pool kept to 10.232.0.0/16. */
export async function initSwarm(docker: Docker, address = '127.0.0.1'): Promise<void> {
	await docker.swarmInit({ListenAddr: `${address}:2377`, AdvertiseAddr: address, DefaultAddrPool: ['10.232.0.0/16'], SubnetSize: 24});
}

export function swarmStackSuite(options: SwarmOptions = {}): SwarmSuite {
	const suite = {} as SwarmSuite;
	before(async () => {
		suite.engine = await testEngine();
		suite.root = mkdtempSync(path.join(tmpdir(), 'nm-swarm-'));
		cpSync(path.join(repoRoot, 'examples/swarm-stack'), suite.root, {recursive: true});
		if (options.worker) {
			makeNodeNetwork();
			await initSwarm(suite.engine.docker, managerAddress);
			suite.worker = await joinWorker(suite.engine.docker);
			placeServices(path.join(suite.root, 'stack.yml'), options.worker.services);
		} else {
			await initSwarm(suite.engine.docker);
		}
		await deployStack(suite);
		suite.start = await swarmState(suite.engine.docker, suite.root);
	});
	after(async () => {
		if (options.worker && suite.engine) await removeWorker(suite.engine.docker, suite.worker);
		if (suite.engine) await suite.engine.docker.swarmLeave({force: true}).catch(() => undefined);
		if (suite.root) rmSync(suite.root, {recursive: true, force: true});
		await stopTestEngine();
	});
	return suite;
}

/** The operator's placement: `services` on the worker, every other service on the manager. */
function placeServices(file: string, onWorker: string[]): void {
	const text = readFileSync(file, 'utf8').replace(
		/\n {2}([a-z]+):\n([\s\S]*?) {4}deploy:\n {6}replicas: 1\n/g,
		(whole, service: string, body: string) => {
			const role = onWorker.includes(service) ? 'worker' : 'manager';
			return `\n  ${service}:\n${body}    deploy:\n      replicas: 1\n      placement:\n        constraints: [node.role == ${role}]\n`;
		},
	);
	writeFileSync(file, text);
}

/** `docker stack deploy` of the stack file as it is now, then waits until every task runs healthy. */
export async function deployStack(suite: SwarmSuite): Promise<string> {
	const result = await execa('docker', ['stack', 'deploy', '--resolve-image', 'never', '-c', 'stack.yml', stack], {
		cwd: suite.root,
		env: {DOCKER_HOST: suite.engine.host},
		all: true,
	});
	await converged(suite.engine.docker);
	return result.all ?? '';
}

/**
 * Every service's one task running, on whichever node: a task with a healthcheck is `running`
 * only once it passed (the swarm holds it in `starting` until then).
 */
export async function converged(docker: Docker, timeoutMs = 90_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	let seen = '';
	while (Date.now() < deadline) {
		const services = await docker.listServices({filters: {label: [`com.docker.stack.namespace=${stack}`]}});
		const ids = new Set(services.map((service) => service.ID));
		const tasks = (
			(await docker.listTasks({filters: {'desired-state': ['running']}})) as Array<{ServiceID: string; Status?: {State?: string}}>
		).filter((task) => ids.has(task.ServiceID));
		const running = tasks.filter((task) => task.Status?.State === 'running');
		const updating = services.filter((service) =>
			['updating', 'rollback_started'].includes((service as {UpdateStatus?: {State?: string}}).UpdateStatus?.State ?? ''),
		);
		seen = `${running.length}/${tasks.length} tasks running for ${services.length} services, ${updating.length} updating`;
		if (services.length > 0 && updating.length === 0 && tasks.length === services.length && running.length === tasks.length) return;
		await new Promise((resolve) => setTimeout(resolve, 300));
	}
	throw new Error(`the swarm stack did not converge: ${seen}`);
}

/** The stack file's hash and each service's networks (names), aliases and environment, as their specs say. */
export async function swarmState(docker: Docker, root: string): Promise<SwarmState> {
	const names = new Map((await docker.listNetworks()).map((network) => [network.Id, network.Name]));
	const services = await docker.listServices({filters: {label: [`com.docker.stack.namespace=${stack}`]}});
	const state: SwarmState = {files: {'stack.yml': sha256(readFileSync(path.join(root, 'stack.yml'), 'utf8'))}, services: {}};
	for (const service of services) {
		const spec = service.Spec as {
			Name: string;
			TaskTemplate: {Networks?: Array<{Target: string; Aliases?: string[]}>; ContainerSpec?: {Env?: string[]}};
		};
		const attachments = spec.TaskTemplate.Networks ?? [];
		state.services[spec.Name] = {
			networks: attachments.map((item) => names.get(item.Target) ?? item.Target).sort(),
			aliases: Object.fromEntries(
				attachments.map((item) => [names.get(item.Target) ?? item.Target, [...(item.Aliases ?? [])].sort()]),
			),
			env: [...(spec.TaskTemplate.ContainerSpec?.Env ?? [])].sort(),
		};
	}
	return state;
}
