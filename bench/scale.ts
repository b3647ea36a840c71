/**
 * Speed at scale: generated stacks of 20, 100 and 200 services with 6–12 networks, each
 * service joining two of them. netmigrate's plan, apply and rollback, against doing the same
 * network work (a) as a bash loop of docker CLI calls and (b) as bare engine-API calls with
 * no netmigrate logic, sequential and at concurrency 4, 8 and 16. The engine is the floor.
 */
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {execa} from 'execa';
import type Docker from 'dockerode';
import {runCompose} from '../source/engine/compose.js';
import {inPool} from '../source/pool.js';
import {cli, emptyScratch, netmigrate, timed, type BenchEngine} from './lib.js';

export type ScaleResult = {
	/** Which engine, in a run over several. */
	engine?: string;
	services: number;
	networks: number;
	connects: number;
	planMs: number;
	applyMs: number;
	/** The networks and multi-home steps of the apply: the engine work, journaled and fsync'd. */
	networkStepsMs: number;
	rollbackMs: number;
	peakRssMb: number;
	cliLoopMs: number;
	apiSequentialMs: number;
	apiConcurrent: Record<number, number>;
};

type Shape = {services: string[]; networks: Array<{name: string; subnet: string}>; pairs: Array<{service: string; network: string}>};

export function shape(count: number): Shape {
	const networkCount = count <= 20 ? 6 : count <= 100 ? 9 : 12;
	const services = Array.from({length: count}, (_, index) => `s${String(index + 1).padStart(3, '0')}`);
	const networks = Array.from({length: networkCount}, (_, index) => ({
		name: `tier${String(index + 1).padStart(2, '0')}-net`,
		subnet: `10.201.${index}.0/24`,
	}));
	const pairs = services.flatMap((service, index) =>
		[networks[index % networkCount], networks[(index + 1) % networkCount]].map((network) => ({
			service,
			network: (network as {name: string}).name,
		})),
	);
	return {services, networks, pairs};
}

/** `segmented`: a second iteration detaches every service from the legacy network, as a finished migration does. */
export function writeStack(root: string, stack: Shape, segmented = false): void {
	const lines = ['name: scale', 'services:'];
	for (const service of stack.services) {
		lines.push(
			`  ${service}:`,
			'    image: netmigrate/busybox:1',
			'    pull_policy: never',
			`    container_name: ${service}`,
			'    init: true',
			'    command: ["sh", "-c", "exec sleep 2147483647"]',
			'    networks: [legacy]',
		);
	}
	lines.push('networks:', '  legacy:', '    name: scale-legacy', '    ipam:', '      config:', '        - subnet: 10.200.0.0/16', '');
	writeFileSync(path.join(root, 'docker-compose.yml'), lines.join('\n'));
	const attach = new Map<string, string[]>();
	for (const pair of stack.pairs) attach.set(pair.service, [...(attach.get(pair.service) ?? []), pair.network]);
	const plan = [
		'version: 1',
		'stack: { root: ., files: [docker-compose.yml], project: scale }',
		'legacy: scale-legacy',
		'networks:',
		...stack.networks.map((network) => `  ${network.name}: { subnet: ${network.subnet} }`),
		'iterations:',
		'  - name: scale-out',
		'    attach:',
		...[...attach].map(([service, networks]) => `      ${service}: [${networks.join(', ')}]`),
		...(segmented ? ['  - name: scale-in', '    detach: { all: [scale-legacy] }'] : []),
		'',
	];
	writeFileSync(path.join(root, 'netmigrate.yml'), plan.join('\n'));
}

async function undo(docker: Docker, stack: Shape): Promise<void> {
	await inPool(stack.pairs, 8, async (pair) =>
		docker
			.getNetwork(pair.network)
			.disconnect({Container: pair.service, Force: true})
			.catch(() => undefined),
	);
	await Promise.all(
		stack.networks.map(async (network) =>
			docker
				.getNetwork(network.name)
				.remove()
				.catch(() => undefined),
		),
	);
}

async function apiRun(docker: Docker, stack: Shape, concurrency: number): Promise<number> {
	const result = await timed(async () => {
		await inPool(stack.networks, concurrency, async (network) =>
			docker.createNetwork({Name: network.name, CheckDuplicate: true, IPAM: {Config: [{Subnet: network.subnet}]}}),
		);
		await inPool(stack.pairs, concurrency, async (pair) =>
			docker.getNetwork(pair.network).connect({Container: pair.service, EndpointConfig: {Aliases: [pair.service]}}),
		);
	});
	await undo(docker, stack);
	return result.ms;
}

async function cliLoop(engine: BenchEngine, stack: Shape): Promise<number> {
	const script = [
		...stack.networks.map((network) => `docker network create --subnet ${network.subnet} ${network.name} >/dev/null`),
		...stack.pairs.map((pair) => `docker network connect --alias ${pair.service} ${pair.network} ${pair.service}`),
	].join('\n');
	const result = await timed(async () => execa('bash', ['-e', '-c', script], {env: {DOCKER_HOST: engine.host}, extendEnv: true}));
	await undo(engine.docker, stack);
	return result.ms;
}

export async function scale(engine: BenchEngine, count: number): Promise<ScaleResult> {
	const stack = shape(count);
	const scratch = emptyScratch();
	writeStack(scratch.root, stack);
	const project = {host: engine.host, directory: scratch.root, files: ['docker-compose.yml']};
	try {
		await runCompose(project, ['up', '-d'], {timeoutMs: 900_000});
		const cliLoopMs = await cliLoop(engine, stack);
		const apiSequentialMs = await apiRun(engine.docker, stack, 1);
		const apiConcurrent: Record<number, number> = {};
		for (const concurrency of [4, 8, 16]) apiConcurrent[concurrency] = await apiRun(engine.docker, stack, concurrency);

		const plan = await timed(async () => netmigrate(['plan', '--host', engine.host], scratch.root));
		if (plan.value.exitCode !== 0) throw new Error(plan.value.all);
		// GNU time reports the peak resident set size of the whole apply.
		const apply = await timed(async () =>
			execa(
				'/usr/bin/time',
				['-f', 'maxrss=%M', process.execPath, cli, 'apply', '--yes', '--json', '--no-matrix', '--host', engine.host],
				{
					cwd: scratch.root,
					reject: false,
					all: true,
					env: {NO_COLOR: '1'},
				},
			),
		);
		if (apply.value.exitCode !== 0) throw new Error(apply.value.all);
		const events = apply.value.stdout
			.split('\n')
			.filter((line) => line.startsWith('{'))
			.map((line) => JSON.parse(line) as {type: string; step?: string; durationMs?: number});
		const networkStepsMs = events
			.filter((event) => event.type === 'step-done' && (event.step === 'networks' || event.step === 'multihome'))
			.reduce((total, event) => total + (event.durationMs ?? 0), 0);
		const peakRssMb = Number(/maxrss=(\d+)/.exec(apply.value.stderr)?.[1] ?? 0) / 1024;
		const rollback = await timed(async () => netmigrate(['rollback', '--yes', '--host', engine.host], scratch.root));
		if (rollback.value.exitCode !== 0) throw new Error(rollback.value.all);
		return {
			services: count,
			networks: stack.networks.length,
			connects: stack.pairs.length,
			planMs: plan.ms,
			applyMs: apply.ms,
			networkStepsMs,
			rollbackMs: rollback.ms,
			peakRssMb,
			cliLoopMs,
			apiSequentialMs,
			apiConcurrent,
		};
	} finally {
		await runCompose(project, ['down', '--timeout', '1'], {timeoutMs: 900_000}).catch(() => undefined);
		scratch.remove();
	}
}
