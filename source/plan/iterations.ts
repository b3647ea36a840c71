/**
 * The whole migration as drafted iterations: the network foundation (attach beside the
 * legacy network, allow-lists, the proxy's network labels, checks), port consolidation
 * (host ports of services the proxy now serves), and retiring the legacy network (every
 * service that can leave it does, the isolation checks prove it). Each later iteration is
 * a proposal the operator runs after days of monitoring, or deletes.
 */
import type {AllowListEntry} from './allowlists.js';
import {blockedChecks, reachableChecks, type DraftCheck} from './checks.js';
import {publishedFor} from './listening.js';
import {routedByTraefik} from './routing.js';
import type {Accounting} from './draft-words.js';
import type {Placement, Tiering} from './tiering.js';

export type DraftIteration = {
	name: string;
	comments: string[];
	attach: Array<{service: string; networks: string[]; why: string}>;
	firewall: AllowListEntry[];
	labels: Array<{service: string; labels: Record<string, string>; why: string}>;
	unpublish: Array<{service: string; ports: string[]; why: string}>;
	detach: Array<{service: string; networks: string[]}>;
	checks: DraftCheck[];
};

export type IterationInput = {tiering: Tiering; legacy: string; networkOf: (tier: string) => string; allowLists: AllowListEntry[]};

export function draftIterations(input: IterationInput): DraftIteration[] {
	const tiersOf = (owner: string) => input.tiering.placements.get(owner)?.tiers ?? [];
	const checkInput = {placements: input.tiering.placements, routes: input.tiering.routes, networkOf: input.networkOf, tiersOf};
	const reachable = reachableChecks(checkInput);
	const blocked = blockedChecks(checkInput, input.tiering.tiers);
	const foundation = emptyIteration('network-foundation', [
		'Every service keeps the legacy network; the new networks are added beside it.',
	]);
	for (const placement of input.tiering.placements.values()) {
		if (placement.status !== 'assigned' || placement.tiers.length === 0) continue;
		foundation.attach.push({service: placement.service.name, networks: placement.tiers.map(input.networkOf), why: placement.why});
	}
	foundation.firewall = input.allowLists;
	foundation.checks = [...reachable, ...blocked];
	const iterations = [foundation];
	const consolidation = portConsolidation(input, reachable);
	// A proxy told to use the legacy network is unambiguous until it goes: the labels ride with
	// consolidation's recreates. Without that setting it is ambiguous from the first attach.
	const labels = proxyNetworkLabels(input);
	const pinnedToLegacy = input.tiering.proxies.some(
		(name) => providerNetwork(input.tiering.placements.get(name) as Placement) === input.legacy,
	);
	(pinnedToLegacy ? consolidation : foundation).labels = labels;
	if (pinnedToLegacy && labels.length > 0)
		consolidation.comments.push(
			`The proxy is told to use ${input.legacy} (its docker provider network); each routed service names its new network before ${input.legacy} goes.`,
			`After retire-legacy, point that setting at a network that exists, for services added later.`,
		);
	if (consolidation.unpublish.length > 0 || consolidation.labels.length > 0) iterations.push(consolidation);
	const retire = retireLegacy(input, [...reachable, ...blocked]);
	if (retire.detach.length > 0) iterations.push(retire);
	else foundation.comments.push(`No retire-legacy iteration yet: no service can leave ${input.legacy} until some are assigned.`);
	return iterations;
}

function emptyIteration(name: string, comments: string[]): DraftIteration {
	return {name, comments, attach: [], firewall: [], labels: [], unpublish: [], detach: [], checks: []};
}

/**
 * Traefik on several networks picks one per container unless told: each routed service
 * gets `traefik.docker.network` naming the network the proxy reaches it by. With the legacy
 * network still shared, every routed service shares two networks with the proxy.
 */
function proxyNetworkLabels(input: IterationInput): DraftIteration['labels'] {
	const labels: DraftIteration['labels'] = [];
	for (const route of input.tiering.routes) {
		const proxy = input.tiering.placements.get(route.proxy) as Placement;
		if (proxy.identified?.entry.id !== 'traefik') continue;
		const target = input.tiering.placements.get(route.service) as Placement;
		const owner = input.tiering.placements.get(route.owner) as Placement;
		const network = input.networkOf(route.tier);
		if (target.service.labels['traefik.docker.network'] === network) continue;
		const shared = new Set(
			[...proxy.service.networks, ...proxy.tiers.map(input.networkOf)].filter((name) =>
				[...owner.service.networks, ...owner.tiers.map(input.networkOf)].includes(name),
			),
		);
		if (shared.size < 2) continue;
		labels.push({
			service: route.service,
			labels: {'traefik.docker.network': network},
			why: `${route.proxy} shares ${[...shared].join(', ')} with it`,
		});
	}
	return labels;
}

/** Traefik's global docker network: `TRAEFIK_PROVIDERS_DOCKER_NETWORK` or `--providers.docker.network=`. */
export function providerNetwork(proxy: Placement): string | undefined {
	const variable = proxy.service.environment.find((item) => item.key === 'TRAEFIK_PROVIDERS_DOCKER_NETWORK')?.value;
	if (variable) return variable;
	const command = proxy.service.config.command;
	const text = Array.isArray(command) ? command.join(' ') : String(command ?? '');
	return /--providers\.docker\.network[= ](\S+)/.exec(text)?.[1];
}

function portConsolidation(input: IterationInput, reachable: DraftCheck[]): DraftIteration {
	const iteration = emptyIteration('port-consolidation', [
		'The proxy serves these now: their own host ports can close (reference 001: one proxy owns 80/443).',
	]);
	for (const route of input.tiering.routes) {
		const owner = input.tiering.placements.get(route.owner) as Placement;
		if (!route.port) continue;
		const ports = publishedFor(owner.service.config.ports, route.port.port);
		if (ports.length === 0 || iteration.unpublish.some((entry) => entry.service === owner.service.name)) continue;
		iteration.unpublish.push({service: owner.service.name, ports, why: `${route.proxy} serves ${route.service}:${route.port.port}`});
	}
	const served = new Set(iteration.unpublish.map((entry) => entry.service));
	iteration.checks = reachable.filter(
		(check) =>
			input.tiering.proxies.includes(check.from) &&
			served.has(input.tiering.placements.get(check.to.split(':')[0] as string)?.owner ?? ''),
	);
	return iteration;
}

function retireLegacy(input: IterationInput, checks: DraftCheck[]): DraftIteration {
	const anchored = anchoredToLegacy(input);
	const iteration = emptyIteration('retire-legacy', [
		`Leave ${input.legacy} once the checks have passed for days; the blocked checks prove the isolation.`,
	]);
	for (const placement of input.tiering.placements.values()) {
		if (placement.status !== 'assigned' || placement.tiers.length === 0 || !placement.service.networks.includes(input.legacy)) continue;
		if (placement.needsEgress && !placement.egressBesideLegacy && placement.tiers.every((tier) => input.tiering.internal.get(tier))) {
			iteration.comments.push(
				`${placement.service.name} stays on ${input.legacy}: it needs the internet and every network drafted for it is internal`,
			);
			continue;
		}
		if (anchored.has(placement.service.name)) {
			iteration.comments.push(`${placement.service.name} stays on ${input.legacy}: ${anchored.get(placement.service.name)}`);
			continue;
		}
		iteration.detach.push({service: placement.service.name, networks: [input.legacy]});
	}
	// Checks over the tier networks prove the same paths once the legacy network is gone.
	iteration.checks = checks;
	return iteration;
}

/**
 * Services that must keep the legacy network: they talk (depends_on, or the proxy's route)
 * to one that stays behind and share no other network with it.
 */
function anchoredToLegacy(input: IterationInput): Map<string, string> {
	const placements = input.tiering.placements;
	const staying = new Set(
		[...placements.values()]
			.filter((placement) => placement.owner === placement.service.name && placement.status !== 'assigned')
			.map((placement) => placement.service.name),
	);
	const networksOf = (owner: string) => {
		const placement = placements.get(owner);
		return new Set(
			[...(placement?.service.networks ?? []), ...(placement?.tiers ?? []).map(input.networkOf)].filter(
				(network) => network !== input.legacy,
			),
		);
	};
	const apart = (a: string, b: string) => ![...networksOf(a)].some((network) => networksOf(b).has(network));
	const anchored = new Map<string, string>();
	for (const placement of placements.values()) {
		for (const name of placement.service.dependsOn) {
			const [user, used] = [placement.owner, placements.get(name)?.owner ?? name];
			if (!apart(user, used)) continue;
			if (staying.has(used) && !staying.has(user)) anchored.set(user, `it depends on ${name}, which stays there`);
			if (staying.has(user) && !staying.has(used)) anchored.set(used, `${placement.service.name} (which stays there) depends on it`);
		}
	}
	for (const proxy of input.tiering.proxies) {
		const routedThere = [...staying].filter(
			(name) => routedByTraefik(placements.get(name)?.service.labels ?? {}) && apart(proxy, name),
		);
		if (routedThere.length > 0) anchored.set(proxy, `it routes ${routedThere.join(', ')}, which stays there`);
	}
	return anchored;
}

/**
 * Services the catalog says need no internet that have it today only by the legacy network:
 * retiring it takes that away, which the plan must say (`egress: false`) so no one is surprised.
 */
export function droppedEgress(tiering: Tiering, iterations: DraftIteration[]): Array<{service: string; why: string}> {
	const retiring = new Set(iterations.at(-1)?.detach.map((entry) => entry.service) ?? []);
	return [...tiering.placements.values()]
		.filter(
			(placement) =>
				placement.egressDropped &&
				!placement.egressBesideLegacy &&
				retiring.has(placement.service.name) &&
				placement.tiers.every((tier) => tiering.internal.get(tier)),
		)
		.map((placement) => ({service: placement.service.name, why: placement.identified?.entry.reason ?? ''}));
}

/** Every service, as the draft's comment block lists it: where it goes and why. */
export function account(tiering: Tiering, legacy: string, networkOf: (tier: string) => string): Accounting[] {
	return [...tiering.placements.values()].map((placement: Placement) => {
		const service = placement.service.name;
		switch (placement.status) {
			case 'assigned':
				return {service, where: placement.tiers.map(networkOf).join(', ') || legacy, why: placement.why};
			case 'follower':
				return {service, where: `follows ${placement.owner}`, why: placement.why};
			case 'immovable':
				return {service, where: 'not movable', why: placement.why};
			case 'kept':
				return {service, where: `stays on ${placement.service.networks.join(', ')}`, why: placement.why};
			case 'unclassified':
				return {service, where: `stays on ${placement.service.networks.join(', ') || legacy}`, why: placement.why};
		}
	});
}
