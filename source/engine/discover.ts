/**
 * What is running, read from the engine: the project's containers by service with their
 * networks, and every network with its settings. Steps plan against this picture. Two list
 * requests, whatever the stack's size: planning needs nothing an inspect adds.
 */
import type {Discovered, RunningContainer, Target} from '../domain.js';
import {apiAtLeast, gwPriorityApi} from '../versions.js';
import {composeVersion} from './compose.js';
import type {Engine} from './docker.js';
import {listStackServices} from './swarm.js';

/**
 * `forPlanning`: also read compose's version where the engine honours gw_priority, which
 * decides whether the planned files may carry it. It costs a process start, so the wizard's
 * home screen (which plans nothing) and preflight (which reads it anyway) leave it out.
 * `target: 'swarm'`: also the stack's services and their specs' networks (a third request).
 */
export async function discover(
	engine: Engine,
	project: string,
	options: {forPlanning?: boolean; target?: Target} = {},
): Promise<Discovered> {
	const [containers, networks, version, swarm] = await Promise.all([
		engine.listRunningContainers(project),
		engine.listNetworkSpecs(),
		engine.version(),
		options.target === 'swarm' ? listStackServices(engine, project) : undefined,
	]);
	const byService = new Map<string, RunningContainer[]>();
	for (const {service, ...container} of containers) {
		if (!service) continue;
		const list = byService.get(service) ?? [];
		list.push(container);
		byService.set(service, list);
	}
	for (const list of byService.values()) list.sort((a, b) => a.name.localeCompare(b.name));
	const compose =
		options.forPlanning && apiAtLeast(version.apiVersion, gwPriorityApi)
			? await composeVersion(engine.host).catch(() => undefined)
			: undefined;
	return {
		source: 'engine',
		apiVersion: version.apiVersion,
		...(compose ? {composeVersion: compose} : {}),
		containers: byService,
		networks: new Map(networks.map((network) => [network.name, network])),
		...(swarm ? {swarm} : {}),
	};
}
