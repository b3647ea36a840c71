/**
 * The checks a draft proposes: the proxy to each service it routes, each `depends_on`
 * pair, the *arr apps to their download clients, prometheus to its exporters, and one
 * `expect: blocked` pair per tier that proves the isolation the tier intends. A check
 * that tests nothing is never drafted: not between two containers in one network
 * namespace, not from a namespace follower to its owner, and only over a network both
 * ends are on by then.
 */
import type {ListeningPort} from './listening.js';
import type {Placement, Route} from './tiering.js';

export type DraftCheck = {from: string; to: string; via: string; expect?: 'blocked'; why: string};

export type CheckInput = {placements: Map<string, Placement>; routes: Route[]; networkOf: (tier: string) => string; tiersOf: (owner: string) => string[]};

export function reachableChecks(input: CheckInput): DraftCheck[] {
	const checks: DraftCheck[] = [];
	const seen = new Set<string>();
	const add = (from: Placement, to: Placement, why: string, tier?: string) => {
		const check = reachable(input, from, to, why, tier);
		if (!check || seen.has(`${check.from}>${check.to}`)) return;
		seen.add(`${check.from}>${check.to}`);
		checks.push(check);
	};
	const all = [...input.placements.values()];
	for (const route of input.routes) add(input.placements.get(route.proxy) as Placement, input.placements.get(route.service) as Placement, `${route.proxy} routes it`, route.tier);
	for (const placement of all) {
		for (const name of placement.service.dependsOn) {
			const target = input.placements.get(name);
			if (target) add(placement, target, 'depends_on');
		}
	}
	const roleOf = (placement: Placement) => placement.identified?.entry;
	for (const app of all.filter((placement) => roleOf(placement)?.role === 'arr' && roleOf(placement)?.tiers.includes('download'))) {
		for (const client of all.filter((placement) => roleOf(placement)?.role === 'download-client')) add(app, client, 'sends downloads');
	}
	for (const tunnel of all.filter((placement) => roleOf(placement)?.role === 'tunnel' && roleOf(placement)?.id !== 'ddns')) {
		for (const proxy of all.filter((placement) => roleOf(placement)?.role === 'proxy')) add(tunnel, proxy, 'the tunnel forwards to the proxy', 'dmz');
	}
	for (const requester of all.filter((placement) => roleOf(placement)?.role === 'requester')) {
		for (const app of all.filter((placement) => roleOf(placement)?.role === 'arr' && roleOf(placement)?.tiers.includes('download') && roleOf(placement)?.id !== 'prowlarr')) add(requester, app, 'hands it requests');
	}
	for (const prometheus of all.filter((placement) => roleOf(placement)?.id === 'prometheus')) {
		for (const exporter of all.filter((placement) => roleOf(placement)?.role === 'exporter')) add(prometheus, exporter, 'scrapes it');
	}
	return checks;
}

function reachable(input: CheckInput, from: Placement, to: Placement, why: string, tier?: string): DraftCheck | undefined {
	if (from.owner === to.owner || !to.port) return undefined;
	const fromTiers = input.tiersOf(from.owner);
	const toTiers = input.tiersOf(to.owner);
	const via = tier && fromTiers.includes(tier) && toTiers.includes(tier) ? tier : toTiers.find((candidate) => fromTiers.includes(candidate) && candidate !== 'dmz');
	if (!via) return undefined;
	return {from: from.service.name, to: `${to.service.name}:${to.port.port}`, via: input.networkOf(via), why: `${why}; port from ${describePort(to.port)}`};
}

/**
 * One blocked pair per tier: from a service that is on no network of that tier (the
 * tunnel first: it is the edge) to a member that listens. Traffic between Docker bridges
 * is dropped, so the target's address on that network must not answer.
 */
export function blockedChecks(input: CheckInput, tiers: string[]): DraftCheck[] {
	const checks: DraftCheck[] = [];
	const owners = [...input.placements.values()].filter((placement) => placement.status === 'assigned' && placement.owner === placement.service.name);
	const edge = (placement: Placement) => (placement.identified?.entry.role === 'tunnel' ? 0 : placement.identified?.entry.role === 'download-client' || placement.identified?.entry.role === 'vpn' ? 1 : 2);
	const sources = [...owners].sort((a, b) => edge(a) - edge(b));
	for (const tier of tiers) {
		if (tier === 'dmz') continue;
		const source = sources.find((placement) => !input.tiersOf(placement.owner).includes(tier) && placement.identified?.entry.role !== 'proxy');
		const target = [...input.placements.values()].find(
			(placement) => placement.port && (placement.status === 'assigned' || placement.status === 'follower') && input.tiersOf(placement.owner).includes(tier) && placement.identified?.entry.role !== 'proxy' && placement.owner !== source?.owner,
		);
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

function describePort(port: ListeningPort): string {
	return port.source;
}
