/**
 * The intended stack: which network namespace is on which network after iteration k, as the
 * compose files and the plan say — never as the engine says. The network map draws it, `verify`
 * compares the engine against its pairs, and the Nomad export translates it. A namespace is an
 * owner service with the services that share it (`network_mode: service:` / `container:`): a
 * follower reaches and is reached exactly as its owner. Membership after iteration k is the
 * compose files' networks (a service with no `networks:` is on the project's default network),
 * then each iteration's `attach` and `detach` in turn (leaving wins, as the detach step runs
 * after multi-home). Pure.
 */
import {namespaceOwner, type ComposeModel, type ServiceModel} from '../compose/project.js';
import type {MembershipRecord} from '../domain.js';
import {expectedAfter} from '../membership.js';
import {internalFlags, type KnownNetwork} from './reach.js';
import type {Plan} from './schema.js';

/** One network namespace of the stack: an owner service and the services that share it (network_mode: service:/container:). */
export type IntendedNamespace = {
	owner: string;
	followers: string[];
	networks: string[];
	/** the network its default route (egress) leaves by, if any */
	egressVia?: string;
	/** no non-internal network: no way to the internet */
	internalOnly: boolean;
};
export type IntendedNetwork = {
	name: string;
	internal: boolean;
	subnet?: string;
	/** created by the plan (vs the legacy / compose-declared ones) */
	planned: boolean;
};
export type IntendedStack = {
	iteration: number /* -1: as the compose files say today, before any iteration; k: after iterations 0..k */;
	namespaces: IntendedNamespace[];
	networks: IntendedNetwork[];
};
/** An ordered pair of namespaces (owners): reachable iff they share a network; `via` those networks (empty when blocked). */
export type IntendedPair = {from: string; to: string; via: string[]};

/** One key for an ordered pair of namespaces (names never hold a NUL), for the maps and sets over pairs. */
export const pairKey = (from: string, to: string): string => `${from}\u0000${to}`;

export type IntentOptions = {
	/** Networks as the engine reports them: their `internal` flag wins over the compose files'. */
	existing?: KnownNetwork[];
	/**
	 * Whether a joined network leaves the default route where it was: true on Engine 28+ (netmigrate
	 * joins with gw_priority -1; the default), false before, where the route leaves by the first
	 * network by name that is not internal (steps/multihome.ts warns of such moves).
	 */
	keepsRoute?: boolean;
};

/** The services with a namespace of their own in this project, in file order (host/none and outside namespaces are not the stack's). */
export function namespaceOwners(project: ComposeModel): ServiceModel[] {
	return [...project.services.values()].filter(
		(service) =>
			service.active &&
			namespaceOwner(project, service.name) === service.name &&
			!service.networkModeOther &&
			!service.namespaceContainer,
	);
}

/** The active services living in `owner`'s namespace, in file order. */
export function followersOf(project: ComposeModel, owner: string): string[] {
	return [...project.services.values()]
		.filter((service) => service.active && service.name !== owner && namespaceOwner(project, service.name) === owner)
		.map((service) => service.name);
}

/**
 * The network a default route leaves by: `keep` while it is still there and not internal (the
 * route stays where it was), else the first network by name that is not internal — the engine's
 * choice when every priority is equal. Undefined: only internal networks, no way out.
 */
export function predictedEgress(networks: string[], internal: (network: string) => boolean, keep?: string): string | undefined {
	if (keep !== undefined && networks.includes(keep) && !internal(keep)) return keep;
	return [...networks].sort().find((network) => !internal(network));
}

export function intendedStack(project: ComposeModel, plan: Plan, throughIteration: number, options: IntentOptions = {}): IntendedStack {
	const internal = internalFlags(plan, project, options.existing ?? []);
	const owners = namespaceOwners(project);
	let record: MembershipRecord = Object.fromEntries(
		owners.map((service) => [service.name, {service: service.name, networks: service.networks.map((network) => ({network}))}]),
	);
	const egress = new Map(owners.map((service) => [service.name, predictedEgress(service.networks, internal)]));
	const last = Math.min(throughIteration, plan.iterations.length - 1);
	for (const iteration of plan.iterations.slice(0, last + 1)) {
		record = expectedAfter(record, iteration);
		for (const [name, container] of Object.entries(record)) {
			const networks = container.networks.map((endpoint) => endpoint.network);
			egress.set(name, predictedEgress(networks, internal, options.keepsRoute === false ? undefined : egress.get(name)));
		}
	}
	const networks = stackNetworks(project, plan, throughIteration, internal, record);
	const order = (list: string[]) =>
		[...list].sort((a, b) => networks.findIndex((network) => network.name === a) - networks.findIndex((network) => network.name === b));
	const namespaces = owners.map((service): IntendedNamespace => {
		const on = order((record[service.name]?.networks ?? []).map((endpoint) => endpoint.network));
		const via = egress.get(service.name);
		return {
			owner: service.name,
			followers: followersOf(project, service.name),
			networks: on,
			...(via ? {egressVia: via} : {}),
			internalOnly: on.every(internal),
		};
	});
	return {iteration: throughIteration, namespaces, networks};
}

/**
 * The stack's networks after iteration k: the legacy network, those of the compose files, then
 * the plan's that an iteration so far has attached anyone to — in that order.
 */
function stackNetworks(
	project: ComposeModel,
	plan: Plan,
	throughIteration: number,
	internal: (network: string) => boolean,
	record: MembershipRecord,
): IntendedNetwork[] {
	const declared = new Map([...project.declaredNetworks.values()].map((declaration) => [declaration.name, declaration.subnets[0]]));
	const attached = plan.iterations
		.slice(0, Math.max(0, throughIteration + 1))
		.flatMap((iteration) => Object.values(iteration.attach).flat());
	const members = Object.values(record).flatMap((container) => container.networks.map((endpoint) => endpoint.network));
	const compose = namespaceOwners(project).flatMap((service) => service.networks);
	const names = [
		...new Set([
			plan.legacy,
			...compose,
			...members.filter((name) => !plan.networks[name]),
			...Object.keys(plan.networks).filter((name) => attached.includes(name) || members.includes(name)),
		]),
	];
	return names
		.filter((name) => name !== plan.legacy || compose.includes(name) || members.includes(name))
		.map((name) => {
			const subnet = plan.networks[name]?.subnet ?? declared.get(name);
			return {name, internal: internal(name), ...(subnet ? {subnet} : {}), planned: plan.networks[name] !== undefined};
		});
}

/** Every ordered pair of the stack's namespaces (from !== to), with the networks they share. */
export function intendedPairs(stack: IntendedStack): IntendedPair[] {
	return stack.namespaces.flatMap((from) =>
		stack.namespaces
			.filter((to) => to.owner !== from.owner)
			.map((to) => ({from: from.owner, to: to.owner, via: from.networks.filter((network) => to.networks.includes(network))})),
	);
}

/** "gluetun (with qbittorrent)": a namespace as the operator knows it. */
export function namespaceLabel(stack: IntendedStack, owner: string): string {
	const followers = stack.namespaces.find((namespace) => namespace.owner === owner)?.followers ?? [];
	return followers.length > 0 ? `${owner} (with ${followers.join(', ')})` : owner;
}

/** "iteration 3 (retire-legacy)". */
export function iterationLabel(plan: Plan, index: number): string {
	return index < 0 ? 'the compose files' : `iteration ${index + 1} (${plan.iterations[index]?.name ?? '?'})`;
}

/** Every stage of the plan, -1 (the compose files) to the last iteration, computed once per plan and project. */
const stagesOf = new WeakMap<Plan, WeakMap<ComposeModel, IntendedStack[]>>();

function stages(project: ComposeModel, plan: Plan): IntendedStack[] {
	const byProject = stagesOf.get(plan) ?? new WeakMap<ComposeModel, IntendedStack[]>();
	stagesOf.set(plan, byProject);
	const known = byProject.get(project) ?? [-1, ...plan.iterations.keys()].map((index) => intendedStack(project, plan, index));
	byProject.set(project, known);
	return known;
}

/** In the operator's words: why a pair is (or is not) reachable, and which later iteration would cut or open it. */
export function pairReason(pair: IntendedPair, plan: Plan, throughIteration: number, project: ComposeModel): string {
	const all = stages(project, plan);
	const at = (index: number) => all[Math.max(-1, Math.min(index, plan.iterations.length - 1)) + 1] as IntendedStack;
	const networksOf = (index: number, owner: string) =>
		at(index).namespaces.find((namespace) => namespace.owner === owner)?.networks ?? [];
	const shared = (index: number) => networksOf(index, pair.from).filter((network) => networksOf(index, pair.to).includes(network));
	const now = at(throughIteration);
	const later = [...plan.iterations.keys()].filter((index) => index > throughIteration);
	if (pair.via.length > 0) {
		const joins = pair.via.map((network) => `${network} (${sinceWhen(network, throughIteration, shared, plan)})`).join(', ');
		const cut = later.find((index) => shared(index).length === 0);
		const future =
			cut === undefined ? (later.length > 0 ? '; no later iteration cuts it' : '') : `; ${iterationLabel(plan, cut)} cuts it`;
		return `${namespaceLabel(now, pair.from)} reaches ${namespaceLabel(now, pair.to)} over ${joins}${future}`;
	}
	const on = (owner: string) => networksOf(throughIteration, owner).join(', ') || 'no network';
	const opened = later.find((index) => shared(index).length > 0);
	const future = opened === undefined ? '' : `; ${iterationLabel(plan, opened)} opens it over ${shared(opened).join(', ')}`;
	return `no network joins ${pair.from} (on ${on(pair.from)}) and ${pair.to} (on ${on(pair.to)})${future}`;
}

/** Since when a network has joined the pair: the compose files, or the first iteration after which both are on it. */
function sinceWhen(network: string, throughIteration: number, shared: (index: number) => string[], plan: Plan): string {
	let since = throughIteration;
	while (since >= 0 && shared(since - 1).includes(network)) since -= 1;
	return since < 0 ? 'from the compose files' : `joined by iteration ${since + 1}, ${plan.iterations[since]?.name ?? '?'}`;
}
