/**
 * The checks a draft proposes: the proxy to each service it routes, each `depends_on`
 * pair, the *arr apps to their download clients, prometheus to its exporters, and one
 * `expect: blocked` pair per tier that proves the isolation the tier intends. A check
 * that tests nothing is never drafted: not between two containers in one network
 * namespace, not from a namespace follower to its owner, and only over a network both
 * ends are on by then.
 */
import type {Placement, Route} from './tiering.js';

export type DraftCheck = {from: string; to: string; via: string; expect?: 'blocked'; why: string};

export type CheckInput = {
	placements: Map<string, Placement>;
	routes: Route[];
	networkOf: (tier: string) => string;
	tiersOf: (owner: string) => string[];
};

export function reachableChecks(input: CheckInput): DraftCheck[] {
	const checks: DraftCheck[] = [];
	const seen = new Set<string>();
	const add = (from: Placement, to: Placement, why: string, tier?: string) => {
		const check = reachable(input, from, to, why, tier);
		if (!check || seen.has(`${check.from}>${check.to}`)) return;
		seen.add(`${check.from}>${check.to}`);
		checks.push(check);
	};
	for (const route of input.routes)
		add(
			input.placements.get(route.proxy) as Placement,
			input.placements.get(route.service) as Placement,
			`${route.proxy} routes it`,
			route.tier,
		);
	for (const talk of conversations(input.placements)) add(talk.from, talk.to, talk.why, talk.tier);
	return checks;
}

export type Conversation = {from: Placement; to: Placement; why: string; tier?: string};

/**
 * Who talks to whom, beside the proxy's routes: `depends_on` pairs, the *arr apps to their
 * download clients, the tunnel to the proxy, requesters to the *arr apps, prometheus to exporters.
 */
export function conversations(placements: Map<string, Placement>): Conversation[] {
	const talks: Conversation[] = [];
	const all = [...placements.values()];
	for (const placement of all) {
		for (const name of placement.service.dependsOn) {
			const target = placements.get(name);
			if (target) talks.push({from: placement, to: target, why: 'depends_on'});
		}
	}
	const entryOf = (placement: Placement) => placement.identified?.entry;
	const pairs = (from: (placement: Placement) => boolean, to: (placement: Placement) => boolean, why: string, tier?: string) => {
		for (const source of all.filter(from))
			for (const target of all.filter(to)) talks.push({from: source, to: target, why, ...(tier ? {tier} : {})});
	};
	const downloadingArr = (placement: Placement) =>
		entryOf(placement)?.role === 'arr' && Boolean(entryOf(placement)?.tiers.includes('download'));
	pairs(downloadingArr, (placement) => entryOf(placement)?.role === 'download-client', 'sends downloads');
	pairs(
		(placement) => entryOf(placement)?.role === 'tunnel' && entryOf(placement)?.id !== 'wg-easy',
		(placement) => entryOf(placement)?.role === 'proxy',
		'the tunnel forwards to the proxy',
		'dmz',
	);
	pairs(
		(placement) => entryOf(placement)?.role === 'requester',
		(placement) => downloadingArr(placement) && entryOf(placement)?.id !== 'prowlarr',
		'hands it requests',
	);
	for (const source of all) {
		for (const id of entryOf(source)?.talksTo ?? [])
			for (const target of all.filter((placement) => entryOf(placement)?.id === id))
				talks.push({from: source, to: target, why: 'talks to it'});
	}
	pairs(
		(placement) => entryOf(placement)?.id === 'prometheus',
		(placement) => entryOf(placement)?.role === 'exporter',
		'scrapes it',
	);
	return talks;
}

function reachable(input: CheckInput, from: Placement, to: Placement, why: string, tier?: string): DraftCheck | undefined {
	if (from.owner === to.owner || !to.port) return undefined;
	const fromTiers = input.tiersOf(from.owner);
	const toTiers = input.tiersOf(to.owner);
	const via =
		tier && fromTiers.includes(tier) && toTiers.includes(tier)
			? tier
			: toTiers.find((candidate) => fromTiers.includes(candidate) && candidate !== 'dmz');
	if (!via) return undefined;
	return {
		from: from.service.name,
		to: `${to.service.name}:${to.port.port}`,
		via: input.networkOf(via),
		why: `${why}; port from ${to.port.source}`,
	};
}

/**
 * One blocked pair per tier: from a service that is on no network of that tier (the
 * tunnel first: it is the edge) to a member that listens. Traffic between Docker bridges
 * is dropped, so the target's address on that network must not answer.
 */
export function blockedChecks(input: CheckInput, tiers: string[]): DraftCheck[] {
	const checks: DraftCheck[] = [];
	const owners = [...input.placements.values()].filter(
		(placement) => placement.status === 'assigned' && placement.owner === placement.service.name,
	);
	const edge = (placement: Placement) =>
		placement.identified?.entry.role === 'tunnel'
			? 0
			: placement.identified?.entry.role === 'download-client' || placement.identified?.entry.role === 'vpn'
				? 1
				: 2;
	const sources = [...owners].sort((a, b) => edge(a) - edge(b));
	for (const tier of tiers) {
		if (tier === 'dmz') continue;
		const source = sources.find(
			(placement) => !input.tiersOf(placement.owner).includes(tier) && placement.identified?.entry.role !== 'proxy',
		);
		const candidates = [...input.placements.values()].filter(
			(placement) =>
				placement.port &&
				(placement.status === 'assigned' || placement.status === 'follower') &&
				input.tiersOf(placement.owner).includes(tier) &&
				placement.identified?.entry.role !== 'proxy' &&
				placement.owner !== source?.owner,
		);
		// A tier's own member (its first tier) over a visitor such as prometheus.
		const target = candidates.find((placement) => input.tiersOf(placement.owner)[0] === tier) ?? candidates[0];
		if (!source || !target?.port) continue;
		checks.push({
			from: source.service.name,
			to: `${target.service.name}:${target.port.port}`,
			via: input.networkOf(tier),
			expect: 'blocked',
			why: `isolation: ${source.service.name} is on no ${tier} network`,
		});
	}
	return checks;
}
