/**
 * The observable state of a test stack (the example, or a fixture), read straight from the
 * engine with dockerode (not through netmigrate's adapter) and from the files, for before/after
 * comparisons.
 */
import type Docker from 'dockerode';
import {treeHashes} from './stack.js';

export type StackState = {files: Record<string, string>; membership: Record<string, string[]>; networks: string[]};

export async function membership(docker: Docker, project = 'media'): Promise<Record<string, string[]>> {
	const containers = await docker.listContainers({all: true, filters: {label: [`com.docker.compose.project=${project}`]}});
	const result: Record<string, string[]> = {};
	for (const summary of containers) {
		const inspected = await docker.getContainer(summary.Id).inspect();
		result[inspected.Name.replace(/^\//, '')] = Object.keys(inspected.NetworkSettings.Networks ?? {}).sort();
	}
	return result;
}

export async function stackState(docker: Docker, root: string, project = 'media'): Promise<StackState> {
	const files = treeHashes(root);
	for (const name of Object.keys(files)) if (name.startsWith('.netmigrate')) delete files[name];
	const networks = (await docker.listNetworks()).map((network) => network.Name).sort();
	return {files, membership: await membership(docker, project), networks};
}

/** An endpoint as configured: its Aliases (sorted) and the addresses pinned in its IPAMConfig; `address` is the one it has. */
export type EndpointState = {aliases: string[]; ipv4Address?: string; ipv6Address?: string; address: string};

/**
 * Container → network → endpoint, for a project's containers. An engine answering below API 1.45
 * adds the container's short id to Aliases by itself; it is left out, as netmigrate leaves it out.
 */
/**
 * What was configured for a container on one network: its aliases as a set (Compose 2.26 gives a
 * container named as its service that name twice; the engine's short-id alias, which a recreate
 * changes, left out) and its pinned addresses (one netmigrate pinned to keep the address a container had is not
 * the stack's: marked by its endpoint option `io.netmigrate.kept-address`, source/kinds/network-readdress.ts).
 */
export function configuredEndpoint(
	endpoint: Docker.NetworkInfo,
	containerId: string,
): {aliases: string[]; ipv4Address?: string; ipv6Address?: string} {
	const pinned = (endpoint.IPAMConfig ?? {}) as {IPv4Address?: string; IPv6Address?: string};
	// An address a rollback asked for to give a container back the one it had is marked so: not the stack's pin.
	const kept = (endpoint as {DriverOpts?: Record<string, string> | null}).DriverOpts?.['io.netmigrate.kept-address'];
	return {
		aliases: [...new Set(((endpoint.Aliases ?? []) as string[]).filter((alias) => alias !== containerId.slice(0, 12)))].sort(),
		...(pinned.IPv4Address && pinned.IPv4Address !== kept ? {ipv4Address: pinned.IPv4Address} : {}),
		...(pinned.IPv6Address ? {ipv6Address: pinned.IPv6Address} : {}),
	};
}

export async function endpoints(docker: Docker, project: string): Promise<Record<string, Record<string, EndpointState>>> {
	const containers = await docker.listContainers({all: true, filters: {label: [`com.docker.compose.project=${project}`]}});
	const result: Record<string, Record<string, EndpointState>> = {};
	for (const summary of containers) {
		const inspected = await docker.getContainer(summary.Id).inspect();
		const networks: Record<string, EndpointState> = {};
		for (const [network, endpoint] of Object.entries(inspected.NetworkSettings.Networks ?? {}))
			networks[network] = {...configuredEndpoint(endpoint, inspected.Id), address: endpoint.IPAddress};
		result[inspected.Name.replace(/^\//, '')] = networks;
	}
	return result;
}
