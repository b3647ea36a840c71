/**
 * Multi-home: join each service to its new networks while it keeps the legacy one.
 * live: `network connect` on the running containers (no restart) with the service and
 * container names as aliases — reconnecting can lose compose's implicit service alias —
 * then persist the same change in the compose files so the next `up` keeps it.
 * recreate: persist first, then a rolling `compose up -d --no-deps` one service at a time.
 */
import type {Action} from '../source/actions.js';
import {namespaceDependents} from '../source/compose/project.js';
import {apiAtLeast, gwPriorityApi, gwPriorityCompose} from '../source/versions.js';
import {uniqueAliases, updateOrder} from '../source/plan/attach.js';
import {predictedEgress} from '../source/plan/intent.js';
import {containersOf, pendingFileWrites, servicesIn, type PlanContext} from './context.js';
import {hostChangingStep} from './step.js';

export const multihomeStep = hostChangingStep({name: 'multihome', title: 'Multi-home services'}, planMultihome);

export function planMultihome(context: PlanContext): Action[] {
	const attach = Object.entries(context.iteration.attach);
	if (attach.length === 0) return [];
	if (context.plan.target === 'swarm') return planSwarmMultihome(context, attach);
	const connects: Action[] = [];
	const recreates: Action[] = [];
	// Engine 28 would otherwise move the default route to whichever network's name sorts first;
	// the files say the same where compose can read it, so a later `compose up` keeps the route.
	const keepGateway = apiAtLeast(context.discovered.apiVersion, gwPriorityApi) ? {gwPriority: -1} : {};
	const filesKeepGateway =
		'gwPriority' in keepGateway && apiAtLeast(context.discovered.composeVersion, gwPriorityCompose) ? keepGateway : {};
	// One edit per file for every service it joins: reading and checking a big file once, not once per service.
	context.editor.addNetworksToServices(attach, filesKeepGateway);
	for (const [service, networks] of attach) {
		const containers = containersOf(context, service);
		const missing = (member: string[]) => networks.filter((network) => !member.includes(network));
		if (context.mode === 'live') {
			for (const container of containers) {
				for (const network of missing(container.networks)) {
					connects.push({
						kind: 'network.connect',
						network,
						container: container.name,
						service,
						aliases: uniqueAliases(service, container.name),
						...keepGateway,
					});
				}
			}
		} else if (containers.some((container) => missing(container.networks).length > 0)) {
			recreates.push({
				kind: 'service.recreate',
				service,
				dependents: namespaceDependents(context.project, service),
				reason: `join ${networks.join(', ')}`,
			});
		}
	}
	if (!('gwPriority' in keepGateway)) context.notes.push(...predictedEgressMoves(context, attach));
	const writes = pendingFileWrites(
		context,
		servicesIn(
			context,
			attach.map(([service]) => service),
			'networks',
		),
	);
	return context.mode === 'live' ? [...connects, ...writes] : [...writes, ...recreates];
}

/**
 * Before Engine 28 (API 1.48) a container's default route leaves through the first network, by
 * name, that has a gateway (not internal): joining one whose name sorts first moves its egress
 * (measured on Engine 26: traefik to dmz-net, gluetun's VPN egress to download-net). Said before
 * anything changes, with the ways to avoid it; the report then lists the moves it measured.
 */
export function predictedEgressMoves(context: PlanContext, attach: Array<[string, string[]]>): string[] {
	const internal = (network: string) =>
		context.plan.networks[network]?.internal ?? context.discovered.networks.get(network)?.internal ?? false;
	const routeOf = (networks: string[]) => predictedEgress(networks, internal);
	const moves: string[] = [];
	for (const [service, networks] of attach) {
		for (const container of containersOf(context, service)) {
			const before = routeOf(container.networks);
			const after = routeOf([...new Set([...container.networks, ...networks])]);
			if (before === undefined || after === before) continue;
			moves.push(
				`egress of ${container.name} will move from ${before} to ${after}: before Engine 28 the default route leaves through the first network by name that is not internal; name ${after} to sort after ${before}, make it \`internal: true\` if the tier needs no internet, or upgrade to Engine 28 (netmigrate then keeps routes with gw_priority)`,
			);
		}
	}
	return moves;
}

/**
 * On a swarm: one spec update per service adding its new networks with the service's name as
 * alias (the VIP answers to it there, as on the legacy network), health-gated one at a time;
 * then the stack file gets the same change so the next `docker stack deploy` keeps it.
 */
function planSwarmMultihome(context: PlanContext, attach: Array<[string, string[]]>): Action[] {
	context.editor.addNetworksToServices(attach, {});
	if (!context.discovered.swarm)
		context.notes.push("the swarm's services are read from a manager: with none answering, their spec updates are not planned here");
	const updates: Action[] = [];
	for (const [service, networks] of attach) {
		const current = context.discovered.swarm?.get(service);
		if (!current) continue;
		const missing = networks.filter((network) => !current.networks.some((item) => item.network === network));
		if (missing.length === 0) continue;
		updates.push({
			kind: 'swarm.update',
			service: current.name,
			before: current.networks,
			after: [...current.networks, ...missing.map((network) => ({network, aliases: [service]}))],
			...updateOrder(current),
		});
	}
	const writes = pendingFileWrites(
		context,
		servicesIn(
			context,
			attach.map(([service]) => service),
			'networks',
		),
	);
	return [...updates, ...writes];
}
