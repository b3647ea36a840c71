/**
 * What a real-shapes run compares: every container's place on the engine (read with dockerode,
 * not through netmigrate), and the difference between two `docker compose config` outputs as
 * a list of paths, each allowed only when the plan asked for it.
 */
import type Docker from 'dockerode';
import type {Plan} from '../../source/plan/schema.js';
import {configuredEndpoint} from './state.js';

export type Place = {
	state: string;
	networkMode: string;
	networks: Record<string, ReturnType<typeof configuredEndpoint> & {address: string}>;
};

/**
 * Each container by name: its state, its network mode (a shared namespace named by its owner's
 * name, or `dead` when the owner it points at is gone: the follower is left with only `lo`), and
 * per network the aliases it was given, its pinned addresses (`configuredEndpoint`, shared
 * with the other end-to-end tests) and the address it has.
 */
export async function places(docker: Docker): Promise<Record<string, Place>> {
	const summaries = await docker.listContainers({all: true});
	const names = new Map(summaries.map((summary) => [summary.Id, (summary.Names[0] ?? '').replace(/^\//, '')]));
	const networkNames = new Map((await docker.listNetworks()).map((network) => [network.Id, network.Name]));
	// A network mode naming a network by id is the same mode as by name; an id of a network that is gone is not.
	const networkMode = (mode: string) =>
		/^[0-9a-f]{64}$/.test(mode) ? (networkNames.get(mode) ?? `removed network ${mode.slice(0, 12)}`) : mode;
	const result: Record<string, Place> = {};
	for (const summary of summaries) {
		const inspected = await docker.getContainer(summary.Id).inspect();
		const mode = inspected.HostConfig.NetworkMode ?? '';
		const owner = mode.startsWith('container:') ? mode.slice('container:'.length) : undefined;
		const ownerName =
			owner === undefined
				? undefined
				: (names.get(owner) ?? [...names].find(([id, name]) => id.startsWith(owner) || name === owner)?.[1]);
		const networks: Place['networks'] = {};
		for (const [network, endpoint] of Object.entries(inspected.NetworkSettings.Networks ?? {}))
			networks[network] = {...configuredEndpoint(endpoint, inspected.Id), address: endpoint.IPAddress};
		result[inspected.Name.replace(/^\//, '')] = {
			state: inspected.State.Status,
			networkMode: owner === undefined ? networkMode(mode) : `container:${ownerName ?? 'dead'}`,
			networks,
		};
	}
	return result;
}

/** Every leaf path where two JSON values differ (`services.x.networks.y`), objects compared key by key. */
export function differingPaths(before: unknown, after: unknown, at = ''): string[] {
	const isObject = (value: unknown): value is Record<string, unknown> =>
		value !== null && typeof value === 'object' && !Array.isArray(value);
	if (isObject(before) && isObject(after)) {
		const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
		return keys.flatMap((key) => differingPaths(before[key], after[key], at ? `${at}.${key}` : key));
	}
	return JSON.stringify(before) === JSON.stringify(after) ? [] : [at];
}

type Config = {networks?: Record<string, {name?: string}>};

/**
 * The paths of `docker compose config` a plan may change after all its iterations: the
 * networks it declares; a service's entry for a network it attaches or detaches (gw_priority
 * included), or the legacy network's declaration once no service uses it; an allow-list variable of a firewall rule (in every service that reads the same
 * variable: a `.env` value is shared); published ports it unpublishes; labels it sets.
 */
export function unplannedChanges(paths: string[], plan: Plan, before: Config, after: Config): string[] {
	const engineName = (key: string) => after.networks?.[key]?.name ?? before.networks?.[key]?.name ?? key;
	const planned = new Set(Object.keys(plan.networks));
	const touches = (service: string, network: string) =>
		plan.iterations.some((iteration) => iteration.attach[service]?.includes(network) || iteration.detach[service]?.includes(network));
	const variables = new Set(plan.iterations.flatMap((iteration) => iteration.firewall.map((rule) => rule.variable)));
	return paths.filter((path) => {
		const [top, name = '', field = '', key = '', ...rest] = path.split('.');
		// compose config leaves out a declared network no service uses: the legacy one once every service is detached.
		const detachedFrom = plan.iterations.some((iteration) =>
			Object.values(iteration.detach).some((networks) => networks.includes(engineName(name))),
		);
		if (top === 'networks') return !planned.has(engineName(name)) && !(detachedFrom && after.networks?.[name] === undefined);
		if (top !== 'services') return true;
		if (field === 'networks') return !touches(name, engineName(key));
		if (field === 'environment') return !variables.has(key);
		if (field === 'ports') return !plan.iterations.some((iteration) => iteration.unpublish[name]);
		if (field === 'labels')
			return !plan.iterations.some((iteration) => iteration.labels[name]?.[[key, ...rest].join('.')] !== undefined);
		return true;
	});
}
