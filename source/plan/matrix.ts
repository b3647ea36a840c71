/**
 * The reachability matrix: every ordered pair of the stack's namespaces, what the plan intends
 * (reachable iff they share a network after the iteration) against what the probes saw (a TCP
 * connect from the source's namespace to each port the target listens on). A pair is as
 * intended when an intended-reachable target answered on some port, or an intended-blocked
 * one answered on none. Each mismatch gets its reason in the operator's words — the network
 * that joins them, the iteration that cuts it, the VPN allow-list entry that is missing, the
 * network the plan does not give a container. A published port answering on the source's
 * gateway ("through the host") is kept apart: Docker's isolation never sees that path (moby
 * #22054). Egress is what the configuration says (internal networks, default routes), never
 * probed. Pure: the probes are the engine's (the lead's), the verdicts are here.
 */
import type {ComposeModel} from '../compose/project.js';
import {vpnVariables, uncoveredBy} from './allowlists.js';
import {intendedPairs, intendedStack, pairKey, pairReason, type IntendedPair, type IntendedStack} from './intent.js';
import type {Plan} from './schema.js';

/**
 * One TCP port of one ordered pair of namespaces, probed: a connect from the source's namespace
 * to an address of the target's (`from`/`to`: service names; a follower counts as its owner)
 * on a port the target listens on. `throughHost`: the address is the source's own gateway on
 * `network` — a port the target publishes on the host answering there, not the target itself.
 */
export type ObservedPair = {
	from: string;
	to: string;
	port: number;
	address: string;
	network: string;
	reachable: boolean;
	ms?: number;
	throughHost?: boolean;
};

export type Expectation = 'reachable' | 'blocked';
/** `unprobed`: the target listens on no TCP port, so nothing could be tried. */
export type Observation = 'reachable' | 'blocked' | 'unprobed';

export type PairVerdict = {
	from: string;
	to: string;
	/** The networks the plan has them share (empty: blocked). */
	via: string[];
	expected: Expectation;
	observed: Observation;
	asIntended: boolean;
	/** Every port probed directly (not through the host), answered or not. */
	probes: ObservedPair[];
	/** Why, for a pair not as intended. */
	reason?: string;
};

export type HostPath = {
	from: string;
	to: string;
	port: number;
	address: string;
	network: string;
	ms?: number;
	expected: Expectation;
	reason: string;
};

export type EgressExpectation = {owner: string; followers: string[]; via?: string; internet: boolean};

export type ReachabilityMatrix = {
	project: string;
	/** The plan's state compared against (0-based; -1: the compose files before any iteration). */
	iteration: number;
	iterationName?: string;
	/** Namespace owners, in the stack's order: the matrix's rows and columns. */
	namespaces: Array<{owner: string; followers: string[]}>;
	pairs: PairVerdict[];
	mismatches: PairVerdict[];
	hostPaths: HostPath[];
	egress: EgressExpectation[];
};

export type MatrixInput = {project: ComposeModel; plan: Plan; through: number; observed: ObservedPair[]; stack?: IntendedStack};

export function reachabilityMatrix(input: MatrixInput): ReachabilityMatrix {
	const stack = input.stack ?? intendedStack(input.project, input.plan, input.through);
	const ownerOf = ownerFinder(stack);
	const observed = input.observed.map((probe) => ({...probe, from: ownerOf(probe.from), to: ownerOf(probe.to)}));
	const direct = new Map<string, ObservedPair[]>();
	for (const probe of observed.filter((item) => !item.throughHost))
		direct.set(pairKey(probe.from, probe.to), [...(direct.get(pairKey(probe.from, probe.to)) ?? []), probe]);
	const pairs = intendedPairs(stack).map((pair) => verdict(pair, direct.get(pairKey(pair.from, pair.to)) ?? [], input, stack));
	const byPair = new Map(pairs.map((pair) => [pairKey(pair.from, pair.to), pair]));
	const hostPaths = observed
		.filter((probe) => probe.throughHost && probe.reachable && byPair.get(pairKey(probe.from, probe.to))?.observed !== 'reachable')
		.map((probe) => hostPath(probe, byPair.get(pairKey(probe.from, probe.to))?.expected ?? 'blocked'));
	const iterationName = input.plan.iterations[input.through]?.name;
	return {
		project: input.project.projectName,
		iteration: input.through,
		...(iterationName ? {iterationName} : {}),
		namespaces: stack.namespaces.map((namespace) => ({owner: namespace.owner, followers: namespace.followers})),
		pairs,
		// Not as intended first: a reachable pair the plan blocks is the worse surprise.
		mismatches: pairs
			.filter((pair) => !pair.asIntended)
			.sort((a, b) => Number(a.expected === 'reachable') - Number(b.expected === 'reachable')),
		hostPaths,
		egress: stack.namespaces.map((namespace) => ({
			owner: namespace.owner,
			followers: namespace.followers,
			...(namespace.egressVia ? {via: namespace.egressVia} : {}),
			internet: !namespace.internalOnly,
		})),
	};
}

/** A follower's name (qbittorrent) → its namespace's owner (gluetun); an owner, or a name the stack does not know, stays. */
function ownerFinder(stack: IntendedStack): (name: string) => string {
	const owners = new Map(
		stack.namespaces.flatMap((namespace) => [
			[namespace.owner, namespace.owner] as const,
			...namespace.followers.map((follower) => [follower, namespace.owner] as const),
		]),
	);
	return (name) => owners.get(name) ?? name;
}

function verdict(pair: IntendedPair, probes: ObservedPair[], input: MatrixInput, stack: IntendedStack): PairVerdict {
	const expected: Expectation = pair.via.length > 0 ? 'reachable' : 'blocked';
	const observed: Observation = probes.length === 0 ? 'unprobed' : probes.some((probe) => probe.reachable) ? 'reachable' : 'blocked';
	const asIntended = observed === 'unprobed' || observed === expected;
	const base = {from: pair.from, to: pair.to, via: pair.via, expected, observed, asIntended, probes};
	if (asIntended) return base;
	const why = pairReason(pair, input.plan, input.through, input.project);
	return {
		...base,
		reason:
			expected === 'reachable'
				? `${why}; but no port answered (${ports(probes)}): ${blockedCause(pair, input, stack)}`
				: `${why}; but ${answered(probes)}: ${openedCause(pair, probes, stack)}`,
	};
}

const ports = (probes: ObservedPair[]) => [...new Set(probes.map((probe) => probe.port))].join(', ');

function answered(probes: ObservedPair[]): string {
	const open = probes.filter((probe) => probe.reachable);
	return `it answered on ${open.map((probe) => `${probe.address}:${probe.port} over ${probe.network}`).join(', ')}`;
}

/**
 * Expected reachable, nothing answered. Through a VPN's namespace (its allow-list variable set):
 * the subnet of each shared network the allow-list, as the plan leaves it, does not cover — the
 * entry to add. Otherwise a firewall or the engine's isolation drops it.
 */
function blockedCause(pair: IntendedPair, input: MatrixInput, stack: IntendedStack): string {
	for (const owner of [pair.to, pair.from]) {
		const service = input.project.services.get(owner);
		const variable = vpnVariables.find((name) => service?.environment.some((entry) => entry.key === name));
		if (!service || !variable) continue;
		const planned = [
			service.environment.find((entry) => entry.key === variable)?.value ?? '',
			...input.plan.iterations
				.slice(0, input.through + 1)
				.flatMap((iteration) =>
					iteration.firewall
						.filter((rule) => rule.service === owner && rule.variable === variable)
						.flatMap((rule) => rule.ensure),
				),
		].join(',');
		const subnets = pair.via
			.map((network) => [network, stack.networks.find((item) => item.name === network)?.subnet] as const)
			.filter((entry): entry is readonly [string, string] => entry[1] !== undefined);
		const missing = subnets.filter(([, subnet]) => uncoveredBy(planned, [subnet]).length > 0);
		if (missing.length > 0) {
			const list = missing.map(([, subnet]) => subnet).join(', ');
			return `${owner}'s firewall drops it — ${variable} does not cover ${missing.map(([network, subnet]) => `${network} (${subnet})`).join(', ')}; add \`firewall: [{service: ${owner}, variable: ${variable}, ensure: [${list}]}]\` to an iteration`;
		}
		return `${owner}'s ${variable} as planned covers ${subnets.map(([network]) => network).join(', ')}, yet its firewall drops it: was ${owner} recreated after the change (the running container may hold the old value)?`;
	}
	return "a firewall, or the engine's isolation of the networks, drops it";
}

/** Expected blocked, it answered: the network it answered over that the plan does not give one of them. */
function openedCause(pair: IntendedPair, probes: ObservedPair[], stack: IntendedStack): string {
	const networksOf = (owner: string) => stack.namespaces.find((namespace) => namespace.owner === owner)?.networks ?? [];
	const causes = [...new Set(probes.filter((probe) => probe.reachable).map((probe) => probe.network))].map((network) => {
		const strays = [pair.from, pair.to].filter((owner) => !networksOf(owner).includes(network));
		if (strays.length === 0) return `${network} joins them`;
		return `${strays.join(' and ')} ${strays.length > 1 ? 'are' : 'is'} on ${network}, which the plan does not give ${strays.length > 1 ? 'them' : 'it'} (attached by hand, or a legacy attachment left on: \`docker network disconnect ${network} <container>\`)`;
	});
	return causes.join('; ');
}

function hostPath(probe: ObservedPair, expected: Expectation): HostPath {
	const why = expected === 'blocked' ? 'though no network joins them' : 'though not directly';
	return {
		from: probe.from,
		to: probe.to,
		port: probe.port,
		address: probe.address,
		network: probe.network,
		...(probe.ms === undefined ? {} : {ms: probe.ms}),
		expected,
		reason: `${probe.to} publishes port ${probe.port} on the host: ${probe.from} reaches it at its gateway ${probe.address} on ${probe.network}, ${why}; publish it on 127.0.0.1 only, or unpublish it (an iteration's \`unpublish:\`)`,
	};
}
