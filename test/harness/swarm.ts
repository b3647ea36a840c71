/**
 * A single-node swarm on the tests' private engine, with the example stack deployed as a swarm
 * stack (examples/swarm-stack) — the swarm's own address pool kept to 10.232.0.0/16, the
 * stack's networks to 10.231.0.0/16 — and left again after the file.
 */
import {cpSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before} from 'node:test';
import type Docker from 'dockerode';
import {execa} from 'execa';
import {sha256} from '../../source/hash.js';
import {repoRoot, stopTestEngine, testEngine, type TestEngine} from './engine.js';

export type SwarmState = {files: Record<string, string>; services: Record<string, {networks: string[]; aliases: Record<string, string[]>; env: string[]}>};
export type SwarmSuite = {engine: TestEngine; root: string; start: SwarmState};

const stack = 'media';

/** A single-node swarm on `docker`, on loopback, its own address pool kept to 10.232.0.0/16. */
export async function initSwarm(docker: Docker): Promise<void> {
	await docker.swarmInit({ListenAddr: '127.0.0.1:2377', AdvertiseAddr: '127.0.0.1', DefaultAddrPool: ['10.232.0.0/16'], SubnetSize: 24});
}

export function swarmStackSuite(): SwarmSuite {
	const suite = {} as SwarmSuite;
	before(async () => {
		suite.engine = await testEngine();
		await initSwarm(suite.engine.docker);
		suite.root = mkdtempSync(path.join(tmpdir(), 'nm-swarm-'));
		cpSync(path.join(repoRoot, 'examples/swarm-stack'), suite.root, {recursive: true});
		await deployStack(suite);
		suite.start = await swarmState(suite.engine.docker, suite.root);
	});
	after(async () => {
		if (suite.engine) await suite.engine.docker.swarmLeave({force: true}).catch(() => undefined);
		if (suite.root) rmSync(suite.root, {recursive: true, force: true});
		await stopTestEngine();
	});
	return suite;
}

/** `docker stack deploy` of the stack file as it is now, then waits until every task runs healthy. */
export async function deployStack(suite: SwarmSuite): Promise<string> {
	const result = await execa('docker', ['stack', 'deploy', '--resolve-image', 'never', '-c', 'stack.yml', stack], {cwd: suite.root, env: {DOCKER_HOST: suite.engine.host}, all: true});
	await converged(suite.engine.docker);
	return result.all ?? '';
}

/** Every service's tasks running and their containers healthy. */
export async function converged(docker: Docker, timeoutMs = 90_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	let seen = '';
	while (Date.now() < deadline) {
		const services = await docker.listServices({filters: {label: [`com.docker.stack.namespace=${stack}`]}});
		const containers = await docker.listContainers({filters: {label: [`com.docker.stack.namespace=${stack}`], status: ['running']}});
		const healthy = containers.filter((container) => /\(healthy\)/.test(container.Status));
		const updating = services.filter((service) => ['updating', 'rollback_started'].includes((service as {UpdateStatus?: {State?: string}}).UpdateStatus?.State ?? ''));
		seen = `${healthy.length}/${containers.length} healthy of ${services.length} services, ${updating.length} updating`;
		if (services.length > 0 && updating.length === 0 && containers.length === services.length && healthy.length === containers.length) return;
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
		const spec = service.Spec as {Name: string; TaskTemplate: {Networks?: Array<{Target: string; Aliases?: string[]}>; ContainerSpec?: {Env?: string[]}}};
		const attachments = spec.TaskTemplate.Networks ?? [];
		state.services[spec.Name] = {
			networks: attachments.map((item) => names.get(item.Target) ?? item.Target).sort(),
			aliases: Object.fromEntries(attachments.map((item) => [names.get(item.Target) ?? item.Target, [...(item.Aliases ?? [])].sort()])),
			env: [...(spec.TaskTemplate.ContainerSpec?.Env ?? [])].sort(),
		};
	}
	return state;
}
