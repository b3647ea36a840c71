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
import type {Prober} from './probe.js';

/**
 * For an engine on this machine (a unix socket), from /proc/<pid>: a pid from a remote engine
 * names some unrelated local process, and the pid is checked to belong to the container (its
 * cgroup names the container id), so an engine in another pid namespace reads as unknown. For an
 * engine on another machine, with a prober: each container's probe reads its namespace's
 * /proc/net/route on that machine. Without one, nothing is read.
 */
export async function defaultRoutesOf(
	engine: Engine,
	host: string,
	project: string,
	options: {procRoot?: string; prober?: Prober} = {},
): Promise<DefaultRoutes> {
	const local = host.startsWith('unix://');
	if (!local && !options.prober) return {};
	const routes: DefaultRoutes = {};
	for (const container of await engine.listContainers(project)) {
		if (container.labels[probeLabel] || !ownNamespace(container)) continue;
		const table = local
			? containerProcFile(container, 'net/route', options.procRoot)
			: await options.prober?.readInNamespace(container.id, '/proc/net/route').catch(() => undefined);
		const network = table === undefined ? undefined : gatewayNetwork(container, table);
		if (network !== undefined) routes[container.name] = network;
	}
	return routes;
}

/** A running container with a namespace of its own: one in another's has that one's route, reported there. */
function ownNamespace(container: ContainerInfo): boolean {
	return (
		container.state === 'running' &&
		container.pid > 0 &&
		!container.networkMode.startsWith('container:') &&
		!container.networkMode.startsWith('service:')
	);
}

export function defaultRouteOf(container: ContainerInfo, procRoot = '/proc'): string | null | undefined {
	if (!ownNamespace(container)) return undefined;
	const table = containerProcFile(container, 'net/route', procRoot);
	return table === undefined ? undefined : gatewayNetwork(container, table);
}

/** The network whose gateway the route table's default route goes through (null: no default route). */
function gatewayNetwork(container: ContainerInfo, table: string): string | null {
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
