/**
 * Downtime per service on a swarm (single node, the bench's private engine), while the
 * example swarm stack's services join their new networks (and jellyfin's trusted-proxy list is
 * extended), three ways side by side:
 *   - netmigrate: one spec update per service and one per allow-list, start-first (stop-first for
 *     prometheus, whose volume two tasks must not share), each waited on until healthy;
 *   - every update stop-first (the same spec updates, the order forced): swarm's default order;
 *   - `docker stack deploy` of the edited stack file, the networks created by hand: what an
 *     operator without netmigrate would run.
 * A prober container on the stack's overlay requests every service's tasks by name every 50 ms.
 */
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {listStackServices, updateServiceEnv, updateServiceNetworks} from '../source/engine/swarm.js';
import {Engine} from '../source/engine/docker.js';
import {loadPlan} from '../source/plan/load.js';
import {discoveredFromFiles} from '../steps/context.js';
import {planIteration} from '../steps/index.js';
import {converged, initSwarm} from '../test/harness/swarm.js';
import {proberScript, summarise, type DowntimeResult} from './downtime.js';
import {docker, netmigrate, repoRoot, scratchCopy, timed, type BenchEngine} from './lib.js';

// `tasks.<service>`: the tasks' own addresses. A service's virtual IP needs the kernel's IPVS,
// which this machine kind lacks (measured: the VIP never answers, tasks.<service> does).
const targets = [
	'tasks.traefik:80',
	'tasks.jellyfin:8096',
	'tasks.jellyseerr:5055',
	'tasks.sonarr:8989',
	'tasks.prometheus:9090',
	'tasks.grafana:3000',
];
export type SwarmWay = 'netmigrate' | 'stop-first' | 'stack deploy';

export async function swarmDowntime(engine: BenchEngine): Promise<DowntimeResult[]> {
	await initSwarm(engine.docker);
	try {
		const results: DowntimeResult[] = [];
		for (const way of ['netmigrate', 'stop-first', 'stack deploy'] as const) results.push(await once(engine, way));
		return results;
	} finally {
		await engine.docker.swarmLeave({force: true}).catch(() => undefined);
		for (const network of await engine.docker.listNetworks()) {
			if (!['bridge', 'host', 'none'].includes(network.Name))
				await engine.docker
					.getNetwork(network.Id)
					.remove()
					.catch(() => undefined);
		}
	}
}

async function once(engine: BenchEngine, way: SwarmWay): Promise<DowntimeResult> {
	const stack = scratchCopy(path.join(repoRoot, 'examples/swarm-stack'));
	try {
		await docker(engine.host, ['stack', 'deploy', '--resolve-image', 'never', '-c', 'stack.yml', 'media'], stack.root);
		await converged(engine.docker);
		const prober = await engine.docker.createContainer({
			Image: 'netmigrate/busybox:1',
			name: 'nm-bench-swarm-prober',
			Cmd: ['sh', '-c', proberScript(targets)],
			HostConfig: {NetworkMode: 'media-overlay', Init: true},
		});
		await prober.start();
		await new Promise((resolve) => setTimeout(resolve, 1500));
		const operation = await timed(async () => migrate(engine, way, stack.root));
		await new Promise((resolve) => setTimeout(resolve, 1500));
		await prober.stop({t: 1}).catch(() => undefined);
		const logs = (await docker(engine.host, ['logs', 'nm-bench-swarm-prober'])).stdout;
		await prober.remove({force: true});
		return {mode: way, operationMs: operation.ms, ...summarise(logs, targets)};
	} finally {
		await docker(engine.host, ['stack', 'rm', 'media']).catch(() => undefined);
		await gone(engine);
		for (const network of ['dmz-net', 'frontend-net', 'backend-net', 'mgmt-net'])
			await engine.docker
				.getNetwork(network)
				.remove()
				.catch(() => undefined);
		stack.remove();
	}
}

async function migrate(engine: BenchEngine, way: SwarmWay, root: string): Promise<void> {
	if (way === 'netmigrate') {
		const result = await netmigrate(['apply', '--yes', '--host', engine.host], root);
		if (result.exitCode !== 0) throw new Error(`apply on the swarm failed:\n${result.all}`);
		return;
	}
	const loaded = loadPlan(path.join(root, 'netmigrate.yml'));
	for (const [name, network] of Object.entries(loaded.plan.networks)) {
		await docker(engine.host, [
			'network',
			'create',
			'--driver',
			'overlay',
			'--attachable',
			'--subnet',
			network.subnet,
			...(network.internal ? ['--internal'] : []),
			name,
		]);
	}
	if (way === 'stack deploy') {
		for (const file of planIteration(loaded.plan, 0, loaded.project, discoveredFromFiles()).files) writeFileSync(file.path, file.after);
		await docker(engine.host, ['stack', 'deploy', '--resolve-image', 'never', '-c', 'stack.yml', 'media'], root);
		await converged(engine.docker);
		return;
	}
	// netmigrate's own spec updates (networks, then the allow-list's env update), each forced stop-first.
	const adapter = new Engine(engine.host);
	const discovered = {...discoveredFromFiles(), swarm: await listStackServices(adapter, 'media')};
	for (const action of planIteration(loaded.plan, 0, loaded.project, discovered).steps.flatMap((step) => step.actions)) {
		if (action.kind === 'swarm.update') await updateServiceNetworks(adapter, action.service, action.after, 'stop-first');
		if (action.kind === 'swarm.env') await updateServiceEnv(adapter, action.service, action.variable, action.after, 'stop-first');
	}
}

async function gone(engine: BenchEngine): Promise<void> {
	for (let attempt = 0; attempt < 100; attempt++) {
		const containers = await engine.docker.listContainers({all: true, filters: {label: ['com.docker.stack.namespace=media']}});
		if (containers.length === 0) return;
		await new Promise((resolve) => setTimeout(resolve, 300));
	}
}
