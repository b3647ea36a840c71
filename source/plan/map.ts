/**
 * The network map: which namespace is on which network now and after an iteration — joined,
 * left, kept — with each namespace's followers under its owner, internal networks and each
 * namespace's egress network marked. "Now" is the running containers when an engine answered
 * (`runningStack`), else the compose files (`intendedStack` at -1); "after" is always the
 * plan's intent. The renderers (map-render.ts) draw it as text, JSON and Mermaid. Pure.
 */
import type {ComposeModel} from '../compose/project.js';
import type {DefaultRoutes, Discovered} from '../domain.js';
import {followersOf, intendedStack, namespaceOwners, predictedEgress, type IntendedNetwork, type IntendedStack} from './intent.js';
import {internalFlags} from './reach.js';
import type {Plan} from './schema.js';

export type MapCell = 'kept' | 'joined' | 'left' | 'absent';

export type MapNetwork = IntendedNetwork & {legacy: boolean};

export type MapRow = {
	owner: string;
	followers: string[];
	/** One per network of the map, in its order. */
	cells: MapCell[];
	egressBefore?: string;
	egressAfter?: string;
	/** After: on internal networks only, no way to the internet. */
	internalOnly: boolean;
};

export type NetworkMap = {
	project: string;
	/** Where "now" came from: the running containers, or the compose files. */
	source: Discovered['source'];
	/** -1: now; k: after iterations 0..k. */
	before: number;
	after: number;
	/** The iteration `after` names, for the heading. */
	afterName?: string;
	/** What to call `before` in the heading, when not "now" (a report: "before iteration 2"). */
	beforeLabel?: string;
	networks: MapNetwork[];
	rows: MapRow[];
};

export type MapContext = {project: string; legacy: string; source: Discovered['source']; afterName?: string; beforeLabel?: string};

function cellOf(before: boolean, after: boolean): MapCell {
	if (before && after) return 'kept';
	if (after) return 'joined';
	return before ? 'left' : 'absent';
}

export function networkMap(now: IntendedStack, after: IntendedStack, context: MapContext): NetworkMap {
	const byName = new Map([...now.networks, ...after.networks].map((network) => [network.name, network]));
	// The order the plan leaves them in (legacy first), with networks only "now" knows after them.
	const names = [...new Set([...after.networks.map((network) => network.name), ...now.networks.map((network) => network.name)])];
	const networks = names.map((name) => ({...(byName.get(name) as IntendedNetwork), legacy: name === context.legacy}));
	const owners = [
		...new Set([...now.namespaces.map((namespace) => namespace.owner), ...after.namespaces.map((namespace) => namespace.owner)]),
	];
	const rows = owners.map((owner): MapRow => {
		const was = now.namespaces.find((namespace) => namespace.owner === owner);
		const will = after.namespaces.find((namespace) => namespace.owner === owner);
		return {
			owner,
			followers: will?.followers ?? was?.followers ?? [],
			cells: networks.map((network) =>
				cellOf(was?.networks.includes(network.name) ?? false, will?.networks.includes(network.name) ?? false),
			),
			...(was?.egressVia ? {egressBefore: was.egressVia} : {}),
			...(will?.egressVia ? {egressAfter: will.egressVia} : {}),
			internalOnly: will?.internalOnly ?? was?.internalOnly ?? true,
		};
	});
	return {
		project: context.project,
		source: context.source,
		before: now.iteration,
		after: after.iteration,
		...(context.afterName ? {afterName: context.afterName} : {}),
		...(context.beforeLabel ? {beforeLabel: context.beforeLabel} : {}),
		networks,
		rows,
	};
}

/**
 * "Now" against the plan after iteration `through` (0-based; -1: no iteration). `now`: the
 * running stack (`runningStack`) when an engine answered; without it, the compose files.
 */
export function plannedMap(project: ComposeModel, plan: Plan, through: number, now?: IntendedStack): NetworkMap {
	const afterName = plan.iterations[through]?.name;
	const context = {
		project: project.projectName,
		legacy: plan.legacy,
		source: now ? ('engine' as const) : ('compose-files' as const),
		...(afterName ? {afterName} : {}),
	};
	return networkMap(now ?? intendedStack(project, plan, -1), intendedStack(project, plan, through), context);
}

/**
 * The stack as the engine runs it: each namespace owner's containers' networks (a scaled
 * service: all of them), the engine's `internal` flags, and the default routes read from the
 * containers where they were (`routes`, by container name), else as the configuration predicts.
 * A network a container is on that neither the files nor the plan name is listed too: it is
 * how a hand-made attachment shows.
 */
export function runningStack(project: ComposeModel, plan: Plan, discovered: Discovered, routes: DefaultRoutes = {}): IntendedStack {
	const existing = [...discovered.networks.values()].map((network) => ({name: network.name, internal: network.internal}));
	const internal = internalFlags(plan, project, existing);
	const namespaces = namespaceOwners(project).map((service) => {
		const containers = discovered.containers.get(service.name) ?? [];
		const networks = [...new Set(containers.flatMap((container) => container.networks))];
		const read = containers.map((container) => routes[container.name]).find((route) => route !== undefined);
		const egressVia = read === undefined ? predictedEgress(networks, internal) : (read ?? undefined);
		return {
			owner: service.name,
			followers: followersOf(project, service.name),
			networks,
			...(egressVia ? {egressVia} : {}),
			internalOnly: networks.every(internal),
		};
	});
	const seen = [...new Set(namespaces.flatMap((namespace) => namespace.networks))];
	const networks = seen.map((name): IntendedNetwork => {
		const subnet = plan.networks[name]?.subnet ?? discovered.networks.get(name)?.subnet;
		return {name, internal: internal(name), ...(subnet ? {subnet} : {}), planned: plan.networks[name] !== undefined};
	});
	return {iteration: -1, namespaces, networks};
}
