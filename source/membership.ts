/**
 * Membership, compared: what each container's networks were — the record a backup takes before
 * an iteration changes anything — against what they are now. After an apply the iteration's
 * joins and departures are expected (`expectedAfter`); after a rollback, the record exactly.
 * Compared: the networks by name; on each network the container keeps, the aliases it was given
 * and the addresses pinned for it; and for a container in another's network namespace, that the
 * namespace is still alive. Names alone are not enough: a follower whose owner was recreated
 * without it is "on exactly its networks from before" (none) while it has only `lo`.
 * Pure: the engine is read by the caller (source/stack-membership.ts, source/engine/namespace.ts).
 */
import type {
	AddressBook,
	ContainerInfo,
	ContainerRecord,
	EndpointRecord,
	MembershipRecord,
	MembershipSnapshot,
	NetworkEndpoint,
	SharedNamespace,
	Target,
} from './domain.js';

/**
 * The aliases an endpoint was configured with. Only what the engine adds by itself is left out:
 * the container's short id, which an engine answering below API 1.45 lists among the Aliases of
 * every user-defined network (Engine 26 and 28 answer our unversioned requests at 1.45 and
 * later and list exactly what was submitted; the short id — and on Engine 28 the container
 * name — are in DNSNames, which is not read). The short id changes with every recreate, so
 * comparing it would fail every recreated container. Compose's own aliases (the container name,
 * the service name, the file's `aliases:`) are configuration, and are compared.
 */
export function configuredAliases(aliases: string[], containerId: string): string[] {
	const shortId = containerId.slice(0, 12);
	return [...new Set(aliases.filter((alias) => alias !== shortId && alias !== containerId))].sort();
}

/**
 * An endpoint as configured: its aliases and pinned addresses (not the address the engine chose).
 * An address a rollback asked for to give a recreated container the one it had (source/engine/keep-addresses.ts)
 * is the engine's choice kept, not a pin of the stack's.
 */
export function endpointRecord(endpoint: NetworkEndpoint, containerId: string): EndpointRecord {
	const kept = endpoint.keptIPv4 !== undefined && endpoint.keptIPv4 === endpoint.pinnedIPv4;
	return {
		network: endpoint.network,
		aliases: configuredAliases(endpoint.aliases, containerId),
		...(endpoint.pinnedIPv4 && !kept ? {ipv4Address: endpoint.pinnedIPv4} : {}),
		...(endpoint.pinnedIPv6 ? {ipv6Address: endpoint.pinnedIPv6} : {}),
	};
}

const byNetwork = (a: EndpointRecord, b: EndpointRecord) => a.network.localeCompare(b.network);

/**
 * The membership of `containers` (keyed by name, a swarm task by its slot); `shared`: the
 * namespace each follower shares, by container id. A swarm assigns a task's aliases and
 * addresses anew with every task, so on a swarm only network names are recorded.
 */
export function recordOf(containers: ContainerInfo[], shared: Map<string, SharedNamespace>, target: Target = 'compose'): MembershipRecord {
	const record: MembershipRecord = {};
	for (const container of containers) {
		const networks = container.networks
			.map((endpoint) => (target === 'swarm' ? {network: endpoint.network} : endpointRecord(endpoint, container.id)))
			.sort(byNetwork);
		const sharesWith = shared.get(container.id);
		record[container.slot ?? container.name] = {
			...(container.service ? {service: container.service} : {}),
			networks,
			...(sharesWith ? {sharesWith} : {}),
		};
	}
	return record;
}

/** A backup made before netmigrate recorded aliases holds network names only: those are compared, nothing more. */
export function recordFromNames(membership: MembershipSnapshot): MembershipRecord {
	return Object.fromEntries(
		Object.entries(membership).map(([name, networks]) => [name, {networks: networks.map((network) => ({network}))}]),
	);
}

/** Container name → its networks, sorted: the names-only view the report and older backups use. */
export function namesOf(record: MembershipRecord): MembershipSnapshot {
	return Object.fromEntries(
		Object.entries(record).map(([name, container]) => [name, container.networks.map((endpoint) => endpoint.network).sort()]),
	);
}

/** What an iteration changes, as the plan says it: service → networks it joins / leaves (`all` leaves for every service). */
export type MembershipChanges = {attach: Record<string, string[]>; detach: Record<string, string[]>};

/**
 * What an iteration should leave: each container on its recorded networks, plus those its service
 * joins, minus those it leaves (the detach step runs after multi-home: leaving wins). A kept
 * network keeps its aliases and pinned addresses; a joined one is expected by name only — the
 * checks step resolves names over it.
 */
export function expectedAfter(record: MembershipRecord, changes: MembershipChanges): MembershipRecord {
	const expected: MembershipRecord = {};
	for (const [name, container] of Object.entries(record)) {
		const service = container.service;
		const left = new Set([...(changes.detach.all ?? []), ...(service ? (changes.detach[service] ?? []) : [])]);
		const kept = container.networks.filter((endpoint) => !left.has(endpoint.network));
		// A container in another's namespace joins nothing itself: its owner does.
		const joining = container.sharesWith || !service ? [] : (changes.attach[service] ?? []);
		const joined = joining.filter((network) => !left.has(network) && !kept.some((endpoint) => endpoint.network === network));
		expected[name] = {...container, networks: [...kept, ...joined.map((network) => ({network}))].sort(byNetwork)};
	}
	return expected;
}

/**
 * Every way `now` differs from `expected`, one line each, naming the container, the network and
 * what was expected and found. A container `now` holds that `expected` does not is not judged:
 * it came after the record (a scaled service, a probe).
 */
export function membershipProblems(expected: MembershipRecord, now: MembershipRecord): string[] {
	return Object.entries(expected)
		.sort(([a], [b]) => a.localeCompare(b))
		.flatMap(([name, container]) => containerProblems(name, container, now[name]));
}

function containerProblems(name: string, expected: ContainerRecord, found: ContainerRecord | undefined): string[] {
	if (!found) return [`container ${name} is gone`];
	const problems = namespaceProblems(name, expected.sharesWith, found.sharesWith);
	const want = expected.networks.map((endpoint) => endpoint.network);
	const have = found.networks.map((endpoint) => endpoint.network);
	const list = (names: string[]) => names.join(', ') || 'no network';
	if (want.length > 0 && have.length === 0 && !found.sharesWith)
		return [...problems, `${name} is on no network, only lo (expected on ${list(want)})`];
	for (const endpoint of expected.networks) {
		const there = found.networks.find((item) => item.network === endpoint.network);
		if (there) problems.push(...endpointProblems(name, endpoint, there));
		else problems.push(`${name} is not on ${endpoint.network} (expected on ${list(want)}; found on ${list(have)})`);
	}
	for (const extra of have.filter((network) => !want.includes(network)))
		problems.push(`${name} is on ${extra}, which it should not be (expected on ${list(want)}; found on ${list(have)})`);
	return problems;
}

/** Aliases and pinned addresses on one network, where the record has them (names-only records have none to compare). */
function endpointProblems(name: string, expected: EndpointRecord, found: EndpointRecord): string[] {
	if (!expected.aliases || !found.aliases) return [];
	const problems: string[] = [];
	const missing = expected.aliases.filter((alias) => !found.aliases?.includes(alias));
	const extra = found.aliases.filter((alias) => !expected.aliases?.includes(alias));
	if (missing.length > 0 || extra.length > 0) {
		const what = [missing.length > 0 ? `missing ${missing.join(', ')}` : '', extra.length > 0 ? `extra ${extra.join(', ')}` : '']
			.filter(Boolean)
			.join('; ');
		problems.push(
			`${name} on ${expected.network}: aliases ${found.aliases.join(', ') || 'none'} (expected ${expected.aliases.join(', ') || 'none'}; ${what})`,
		);
	}
	for (const [label, key] of [
		['IPv4', 'ipv4Address'],
		['IPv6', 'ipv6Address'],
	] as const) {
		if (expected[key] !== found[key])
			problems.push(
				`${name} on ${expected.network}: pinned ${label} address ${found[key] ?? 'none'} (expected ${expected[key] ?? 'none'})`,
			);
	}
	return problems;
}

/**
 * A follower's namespace: dead now fails unless the record says it was dead before the iteration
 * (or a names-only record cannot say: then a dead one fails too — the stack ran with it alive).
 */
function namespaceProblems(name: string, expected: SharedNamespace | undefined, found: SharedNamespace | undefined): string[] {
	if (!found) return expected ? [`${name} no longer lives in another container's network namespace (expected ${expected.owner}'s)`] : [];
	if (!found.alive && expected?.alive !== false) {
		return [
			`${name} has no network: the namespace it shares is dead — ${found.detail ?? `its owner ${found.owner} is gone`} (expected ${expected ? `${expected.owner}'s, alive` : 'a live namespace'})`,
		];
	}
	if (expected?.alive && found.owner !== expected.owner)
		return [`${name} lives in ${found.owner}'s network namespace (expected ${expected.owner}'s)`];
	return [];
}

export function addressesOf(containers: ContainerInfo[]): AddressBook {
	const book: AddressBook = {};
	for (const container of containers) {
		const networks = Object.fromEntries(
			container.networks.filter((endpoint) => endpoint.ipv4).map((endpoint) => [endpoint.network, endpoint.ipv4]),
		);
		if (Object.keys(networks).length > 0) book[container.slot ?? container.name] = networks;
	}
	return book;
}

/**
 * Addresses that are not what they were, on networks where the container is still and whose
 * address nothing pins (`ipv4_address`): compose's recreate gives such a container whatever
 * address the engine's allocator hands out next, so a recreated container comes back with
 * another one. Pinned ones are configuration and compared by `membershipProblems`.
 */
export function changedAddresses(
	before: AddressBook,
	now: AddressBook,
	record: MembershipRecord | undefined,
): Array<{container: string; network: string; before: string; after: string}> {
	const changed: Array<{container: string; network: string; before: string; after: string}> = [];
	for (const [container, networks] of Object.entries(before)) {
		for (const [network, address] of Object.entries(networks)) {
			const after = now[container]?.[network];
			const pinned = record?.[container]?.networks.find((endpoint) => endpoint.network === network)?.ipv4Address;
			if (after && after !== address && !pinned) changed.push({container, network, before: address, after});
		}
	}
	return changed;
}
