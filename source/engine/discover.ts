/**
 * What is running, read from the engine: the project's containers by service with their
 * networks, and every network with its settings. Steps plan against this picture.
 */
import type {Discovered, RunningContainer} from '../domain.js';
import type {Engine} from './docker.js';

export async function discover(engine: Engine, project: string): Promise<Discovered> {
	const [containers, networks] = await Promise.all([engine.listContainers(project), engine.listNetworks()]);
	const byService = new Map<string, RunningContainer[]>();
	for (const container of containers) {
		if (!container.service) continue;
		const list = byService.get(container.service) ?? [];
		list.push({name: container.name, networks: container.networks.map((endpoint) => endpoint.network), running: container.state === 'running'});
		byService.set(container.service, list);
	}
	for (const list of byService.values()) list.sort((a, b) => a.name.localeCompare(b.name));
	return {source: 'engine', containers: byService, networks: new Map(networks.map((network) => [network.name, network]))};
}
