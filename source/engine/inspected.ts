/**
 * The engine's inspect answers, read into netmigrate's words: a network with its subnets and
 * members, a container with its state, health, namespace and endpoints (aliases, the gateway,
 * gw_priority, pinned addresses). Pure: docker.ts asks, these read.
 */
import type Docker from 'dockerode';
import type {ContainerHealth, ContainerInfo, NetworkInfo} from '../domain.js';
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

/** Compose sends an IPAMConfig with empty strings for every network it configures: empty is "not pinned". */
function pinnedAddresses(config: Docker.IPAMConfig | null | undefined): {pinnedIPv4?: string; pinnedIPv6?: string} {
	return {
		...(config?.IPv4Address ? {pinnedIPv4: config.IPv4Address} : {}),
		...(config?.IPv6Address ? {pinnedIPv6: config.IPv6Address} : {}),
	};
}
