/**
 * The engine's inspect answers, read into netmigrate's words: a network with its subnets and
 * members, a container with its state, health, namespace and endpoints (aliases, the gateway,
 * gw_priority, pinned addresses). Pure: docker.ts asks, these read.
 */
import type Docker from 'dockerode';
import type {ContainerHealth, ContainerInfo, NetworkEndpoint, NetworkInfo} from '../domain.js';
import {stackIdentity} from './stack-labels.js';

export function toNetworkInfo(raw: Docker.NetworkInspectInfo): NetworkInfo {
	const members = Object.entries(raw.Containers ?? {}).map(([id, endpoint]) => ({
		id,
		name: endpoint.Name,
		ipv4: (endpoint.IPv4Address ?? '').split('/')[0] ?? '',
	}));
	const subnets = (raw.IPAM?.Config ?? [])
		.filter((config) => config.Subnet)
		.map((config) => ({subnet: config.Subnet as string, ...(config.Gateway ? {gateway: config.Gateway} : {})}));
	const first = subnets[0];
	return {
		id: raw.Id,
		name: raw.Name,
		driver: raw.Driver,
		internal: raw.Internal,
		// The first subnet is the network's own (netmigrate creates one per network).
		subnet: first?.subnet ?? '',
		...(first?.gateway ? {gateway: first.gateway} : {}),
		subnets,
		labels: raw.Labels ?? {},
		members,
	};
}

export function toContainerInfo(raw: Docker.ContainerInspectInfo): ContainerInfo {
	const labels = raw.Config.Labels ?? {};
	const networks = Object.entries(raw.NetworkSettings.Networks ?? {}).map(([network, endpoint]) => ({
		network,
		ipv4: endpoint.IPAddress ?? '',
		aliases: endpoint.Aliases ?? [],
		gateway: endpoint.Gateway ?? '',
		...((endpoint as {GwPriority?: number}).GwPriority === undefined
			? {}
			: {gwPriority: (endpoint as {GwPriority?: number}).GwPriority}),
		...pinnedAddresses(endpoint.IPAMConfig as Docker.IPAMConfig | null | undefined),
		...configuredRest(endpoint),
	}));
	return {
		id: raw.Id,
		name: raw.Name.replace(/^\//, ''),
		...stackIdentity(labels),
		state: raw.State.Status,
		pid: raw.State.Pid ?? 0,
		health: (raw.State.Health?.Status as ContainerHealth | undefined) ?? 'none',
		...(raw.State.Status === 'exited' ? {exitCode: raw.State.ExitCode, restartPolicy: raw.HostConfig.RestartPolicy?.Name ?? 'no'} : {}),
		networkMode: raw.HostConfig.NetworkMode ?? 'default',
		networks,
		env: raw.Config.Env ?? [],
		image: raw.Config.Image,
		labels,
	};
}

/**
 * The endpoint driver option that marks an address netmigrate asked for (source/engine/keep-addresses.ts),
 * not one the stack pins; its value is that address. Drivers ignore options they do not know.
 */
export const keptAddressOption = 'io.netmigrate.kept-address';

/** Links, link-local addresses, driver options and the MAC address, where the endpoint has any; an address netmigrate kept. */
function configuredRest(endpoint: Docker.NetworkInfo): Pick<NetworkEndpoint, 'rest' | 'keptIPv4'> {
	const linkLocalIPs = (endpoint.IPAMConfig as {LinkLocalIPs?: string[]} | null | undefined)?.LinkLocalIPs ?? [];
	const driverOpts = (endpoint as {DriverOpts?: Record<string, string> | null}).DriverOpts ?? {};
	const rest = {
		...(endpoint.Links?.length ? {links: endpoint.Links} : {}),
		...(linkLocalIPs.length > 0 ? {linkLocalIPs} : {}),
		...(Object.keys(driverOpts).length > 0 ? {driverOpts} : {}),
		...(endpoint.MacAddress ? {macAddress: endpoint.MacAddress} : {}),
	};
	const kept = driverOpts[keptAddressOption];
	return {...(Object.keys(rest).length > 0 ? {rest} : {}), ...(kept ? {keptIPv4: kept} : {})};
}

/** Compose sends an IPAMConfig with empty strings for every network it configures: empty is "not pinned". */
function pinnedAddresses(config: Docker.IPAMConfig | null | undefined): {pinnedIPv4?: string; pinnedIPv6?: string} {
	return {
		...(config?.IPv4Address ? {pinnedIPv4: config.IPv4Address} : {}),
		...(config?.IPv6Address ? {pinnedIPv6: config.IPv6Address} : {}),
	};
}
