/**
 * The reachability matrix's speed: every ordered pair of a stack's namespaces probed on every
 * port its target listens on, by one probe per source namespace that connects to all its
 * targets at once (source/engine/reachability.ts), against the obvious alternative measured in
 * the same run: one short-lived probe container per connect (`docker run --network
 * container:<source> busybox nc …`, as a shell loop would), eight at a time. On the example stack
 * and on a generated 200-service stack whose services each listen on a port; with the peak RSS
 * of this process. Nothing here asserts a time.
 */
import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import type Docker from 'dockerode';
import {runCompose} from '../source/engine/compose.js';
import {Engine} from '../source/engine/docker.js';
import {Prober} from '../source/engine/probe.js';
import {inPool} from '../source/pool.js';
import {observeReachability, stackNamespaces, type ProbedNamespace} from '../source/engine/reachability.js';
import {emptyScratch, netmigrate, repoRoot, scratchCopy, timed, type BenchEngine} from './lib.js';
import {shape, writeStack} from './scale.js';

export type ReachabilityResult = {
	engine?: string;
	stack: string;
	namespaces: number;
	connects: number;
	ms: number;
	perConnectMs: number;
	sampled: number;
	peakRssMb: number;
	/** Of `ms`, the time spent waiting for room in the host's neighbour table. */
	neighbourWaitMs: number;
	/** The host's gc_thresh3, which sets that pace. */
	gcThresh3: number;
};

/** The matrix of one running compose project, then a sample of it one container per connect. */
export async function measureMatrix(bench: BenchEngine, project: string, label: string, sample = 200): Promise<ReachabilityResult> {
	const engine = new Engine(bench.host);
	const prober = new Prober(engine, project);
	await prober.prepare();
	const namespaces = await stackNamespaces(engine, project);
	let peak = process.memoryUsage().rss;
	const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
	const matrix = await timed(async () =>
		observeReachability(prober, namespaces, {timeoutSeconds: 1, local: bench.host.startsWith('unix://')}),
	);
	clearInterval(sampler);
	await prober.close();
	const tries = matrix.value.connects.slice(0, sample);
	const alone = await timed(async () => onePerConnect(bench.docker, await prober.prepare(), namespaces, tries));
	return {
		stack: label,
		namespaces: namespaces.length,
		connects: matrix.value.connects.length,
		ms: matrix.ms,
		perConnectMs: (alone.ms / tries.length) * matrix.value.connects.length,
		sampled: tries.length,
		peakRssMb: Math.round(peak / 2 ** 20),
		neighbourWaitMs: matrix.value.neighbourWaitMs,
		gcThresh3: matrix.value.limits.gcThresh3,
	};
}

/** One probe container per connect, eight at a time: the time for `tries`. */
async function onePerConnect(
	docker: Docker,
	image: string,
	namespaces: ProbedNamespace[],
	tries: Array<{from: string; address: string; port: number}>,
): Promise<void> {
	const ids = new Map(namespaces.map((namespace) => [namespace.owner, namespace.containerId]));
	await inPool(tries, 8, async (item) => {
		const container = await docker.createContainer({
			Image: image,
			Cmd: ['nc', '-w', '1', item.address, String(item.port), '-e', 'true'],
			HostConfig: {NetworkMode: `container:${ids.get(item.from)}`},
		});
		await container.start();
		await container.wait();
		await container.remove({force: true});
	});
}

/** The example stack, brought up in a scratch copy and taken down after. */
export async function exampleMatrix(bench: BenchEngine): Promise<ReachabilityResult> {
	const copy = scratchCopy(path.join(repoRoot, 'examples/media-stack'));
	const project = {host: bench.host, directory: copy.root, files: ['docker-compose.yml']};
	try {
		await runCompose(project, ['up', '-d', '--wait']);
		return await measureMatrix(bench, 'media', 'example stack (17 namespaces)');
	} finally {
		await runCompose(project, ['down', '--timeout', '1']).catch(() => undefined);
		copy.remove();
	}
}

/**
 * A generated stack of `count` services that each listen on port 80, on 12 networks, each service
 * on two of them (bench/scale.ts's shape), brought up and segmented by its own plan — iteration 1
 * joins the tiers, iteration 2 leaves the flat legacy network, as a finished migration does — so
 * the matrix has both reachable and blocked pairs; taken down after. On the flat network the
 * matrix is as slow as the host's neighbour table makes it (source/engine/neighbours.ts).
 */
export async function generatedMatrix(bench: BenchEngine, count: number): Promise<ReachabilityResult> {
	const scratch = emptyScratch();
	const stack = shape(count);
	writeStack(scratch.root, stack, true);
	const file = path.join(scratch.root, 'docker-compose.yml');
	writeFileSync(
		file,
		readFileSync(file, 'utf8').replaceAll('exec sleep 2147483647', 'mkdir -p /tmp/www && exec httpd -f -p 80 -h /tmp/www'),
	);
	const project = {host: bench.host, directory: scratch.root, files: ['docker-compose.yml']};
	try {
		await runCompose(project, ['up', '-d'], {timeoutMs: 900_000});
		for (const _iteration of [1, 2]) {
			const applied = await netmigrate(['apply', '--yes', '--no-matrix', '--host', bench.host], scratch.root);
			if (applied.exitCode !== 0) throw new Error(applied.all);
		}
		return await measureMatrix(bench, 'scale', `${count} services (${count} namespaces, segmented)`, 100);
	} finally {
		for (const _iteration of [2, 1]) await netmigrate(['rollback', '--yes', '--host', bench.host], scratch.root).catch(() => undefined);
		await runCompose(project, ['down', '--timeout', '1'], {timeoutMs: 900_000}).catch(() => undefined);
		scratch.remove();
	}
}
