/**
 * Which network each container's default route leaves through. Joining a network can move it
 * (Engine 26 picks the gateway by network name, so a live connect to `dmz-net` takes traefik's
 * egress away from `media-network`; Engine 28+ orders by gw_priority first), silently rerouting
 * a service's outbound traffic. Read from the host's view of the container's namespace,
 * /proc/<pid>/net/route: no exec, no shell, nothing needed inside the image.
 */
import {probeLabel, type ContainerInfo, type DefaultRoutes, type MovedRoute} from '../domain.js';
import type {Engine} from './docker.js';
import {parseDefaultGateway} from './host-routes.js';
import {containerProcFile} from './namespace.js';

/**
 * Only for an engine on this machine (a unix socket): a pid from a remote engine names some
 * unrelated local process. The pid is also checked to belong to the container (its cgroup
 * names the container id), so an engine in another pid namespace reads as unknown.
 */
export async function defaultRoutesOf(engine: Engine, host: string, project: string, procRoot = '/proc'): Promise<DefaultRoutes> {
	if (!host.startsWith('unix://')) return {};
	const routes: DefaultRoutes = {};
	for (const container of await engine.listContainers(project)) {
		if (container.labels[probeLabel]) continue;
		const network = defaultRouteOf(container, procRoot);
		if (network !== undefined) routes[container.name] = network;
	}
	return routes;
}

export function defaultRouteOf(container: ContainerInfo, procRoot = '/proc'): string | null | undefined {
	// A container in another's namespace has that container's route; it is reported there.
	if (container.state !== 'running' || container.pid <= 0 || container.networkMode.startsWith('container:') || container.networkMode.startsWith('service:')) return undefined;
	const table = containerProcFile(container, 'net/route', procRoot);
	if (table === undefined) return undefined;
	const gateway = parseDefaultGateway(table);
	if (gateway === undefined) return null;
	return container.networks.find((endpoint) => endpoint.gateway === gateway)?.network ?? `${gateway} (not a Docker network)`;
}

/** Containers whose default route leaves through another network than it did before. */
export function movedDefaultRoutes(before: DefaultRoutes, after: DefaultRoutes): MovedRoute[] {
	return Object.keys(before)
		.filter((container) => container in after && after[container] !== before[container])
		.sort()
		.map((container) => ({container, before: before[container] ?? null, after: after[container] ?? null}));
}
