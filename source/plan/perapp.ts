/**
 * Reference 004's model: each app gets its own network with the services it depends on
 * attached; apps named in a `--group` share the group's network (every member, and every
 * member's dependencies). The proxy joins only the networks of apps it routes. A network is
 * internal unless a member needs the internet, and never opened for a member that has none.
 */
import {namespaceOwner} from '../compose/project.js';
import {draftAllowLists, coveringRanges} from './allowlists.js';
import type {DraftInput, DraftResult, Route} from './draft-words.js';
import {conversations} from './checks.js';
import {pickNetworks} from './host.js';
import {account, draftIterations, droppedEgress} from './iterations.js';
import {renderPlan, type DraftDocument} from './render.js';
import {forSwarm} from './swarm-draft.js';
import {tierNetworkNamer} from './network-names.js';
import {placeServices, type Placement, type Tiering} from './tiering.js';

export type PerAppInput = DraftInput & {groups?: Record<string, string[]>};

export function draftPerAppPlan(input: PerAppInput): DraftResult {
	const tiering = placeServices({
		project: input.project,
		legacy: input.legacy,
		...(input.images ? {images: input.images} : {}),
		...(input.rules ? {rules: input.rules} : {}),
		...(input.existingNetworks ? {existingNetworks: input.existingNetworks} : {}),
	});
	const perApp = regroup(tiering, input);
	// `<app>-net`, or before Engine 28 `<legacy>-<app>` where that keeps egress (draft.ts).
	const networkOf = tierNetworkNamer(input, (tier) => perApp.internal.get(tier) ?? true);
	const picked = pickNetworks(
		perApp.tiers.map((tier) => ({name: networkOf(tier), internal: perApp.internal.get(tier) ?? true})),
		input.existingNetworks ?? [],
		input.usedSubnets,
		input.pool,
	);
	const allow = draftAllowLists({
		project: input.project,
		placements: perApp.placements,
		routes: perApp.routes,
		subnetOf: (tier) => picked.get(networkOf(tier))?.subnet,
		covering: coveringRanges([...picked.values()].map((network) => network.subnet)),
	});
	const iterations = draftIterations({tiering: perApp, legacy: input.legacy, networkOf, allowLists: allow.entries});
	const unknown = Object.values(input.groups ?? {})
		.flat()
		.filter((member) => !input.project.services.has(member));
	const warnings = [
		...allow.warnings,
		...(unknown.length > 0 ? [`--group names ${unknown.join(', ')}, which the project does not have`] : []),
	];
	iterations[0] = {...(iterations[0] as (typeof iterations)[number]), name: 'per-app-networks'};
	const drafted: DraftDocument = {
		comment: [
			`netmigrate plan drafted by \`netmigrate init --preset per-app\` from project ${input.project.projectName}.`,
			'One network per app with the services it depends on attached (reference 004); apps in a',
			'group share its network. The proxy joins only the networks of the apps it routes.',
		],
		stackRoot: input.stackRoot,
		composeFiles: input.composeFiles,
		project: input.project.projectName,
		legacy: input.legacy,
		networks: perApp.tiers.map((tier) => {
			const network = picked.get(networkOf(tier)) as {subnet: string; internal: boolean};
			return {name: networkOf(tier), subnet: network.subnet, internal: network.internal, purpose: perApp.purpose.get(tier) ?? ''};
		}),
		egressFalse: droppedEgress(perApp, iterations),
		accounting: account(perApp, input.legacy, networkOf),
		warnings,
		iterations,
	};
	const document = input.target === 'swarm' ? forSwarm(drafted) : drafted;
	return {
		text: renderPlan(document),
		unclassified: [...perApp.placements.values()]
			.filter((placement) => placement.status === 'unclassified')
			.map((placement) => placement.service.name),
		networks: Object.fromEntries([...picked].map(([name, network]) => [name, {subnet: network.subnet, internal: network.internal}])),
		warnings: document.warnings,
	};
}

type PerAppTiering = Tiering & {purpose: Map<string, string>};

/** The tiered placement, re-cut into one "tier" per app (or group). */
function regroup(tiering: Tiering, input: PerAppInput): PerAppTiering {
	const placements = new Map([...tiering.placements].map(([name, placement]) => [name, {...placement, tiers: edgeTiers(placement)}]));
	const groupOf = groupsByOwner(input);
	const members = appMembers(placements, groupOf, input);
	// The app network an owner's app has: its group's, its own, or none (a dependency, the proxy).
	const appTier = (owner: string) => groupOf.get(owner) ?? (members.has(owner) ? owner : undefined);
	joinConversations(placements, members, appTier);
	const {internal, purpose} = closeAppNetworks(placements, members, groupOf);
	restatePlacements(placements);
	const routes = routedApps(tiering.routes, placements, appTier);
	for (const tier of ['dmz', ...members.keys()]) if (!internal.has(tier)) internal.set(tier, tier !== 'dmz');
	const tiers = [...new Set([...placements.values()].flatMap((placement) => placement.tiers))];
	if (tiers.includes('dmz')) purpose.set('dmz', 'ingress: the proxy and the tunnel');
	return {
		...tiering,
		placements,
		tiers: tiers.sort((a, b) => (a === 'dmz' ? -1 : b === 'dmz' ? 1 : 0)),
		internal,
		opened: new Map(),
		routes,
		purpose,
	};
}

/** `--group` members by namespace owner (a follower counts as its owner) → the group's name. */
function groupsByOwner(input: PerAppInput): Map<string, string> {
	const groupOf = new Map<string, string>();
	for (const [group, members] of Object.entries(input.groups ?? {}))
		for (const member of members) groupOf.set(namespaceOwner(input.project, member), group);
	return groupOf;
}

/**
 * Each app network and who is on it: the app (or every member of its group) with its
 * dependencies. An app is a namespace owner that can move, not the proxy or the tunnel, nor a
 * dependency of another service (a database) unless it is grouped by name or serves the web.
 */
function appMembers(placements: Map<string, Placement>, groupOf: Map<string, string>, input: PerAppInput): Map<string, Set<string>> {
	const {project} = input;
	const dependencyOnly = (placement: Placement) =>
		!groupOf.has(placement.service.name) &&
		[...placements.values()].some(
			(other) =>
				other.service.dependsOn.some((name) => namespaceOwner(project, name) === placement.service.name) &&
				other.owner !== placement.service.name,
		) &&
		!placement.identified?.entry.web;
	const apps = [...placements.values()].filter(
		(placement) =>
			placement.owner === placement.service.name &&
			placement.status !== 'immovable' &&
			!['proxy', 'tunnel'].includes(placement.identified?.entry.role ?? '') &&
			!dependencyOnly(placement),
	);
	const members = new Map<string, Set<string>>();
	for (const app of apps) {
		const tier = groupOf.get(app.service.name) ?? app.service.name;
		const set = members.get(tier) ?? new Set<string>();
		for (const name of withDependencies(app.service.name, input)) set.add(name);
		members.set(tier, set);
	}
	return members;
}

/**
 * Who talks to whom (the *arr apps to their download client, prometheus to exporters) must
 * share a network once the legacy one is gone: the callee joins the caller's app network,
 * or, when the caller has none of its own, the caller joins the callee's.
 */
function joinConversations(
	placements: Map<string, Placement>,
	members: Map<string, Set<string>>,
	appTier: (owner: string) => string | undefined,
): void {
	for (const talk of conversations(placements)) {
		const [from, to] = [talk.from.owner, talk.to.owner];
		if (
			from === to ||
			[talk.from, talk.to].some((placement) =>
				['proxy', 'tunnel'].includes(placements.get(placement.owner)?.identified?.entry.role ?? ''),
			)
		)
			continue;
		const own = appTier(from);
		if (own) members.get(own)?.add(to);
		else if (appTier(to)) members.get(appTier(to) as string)?.add(from);
	}
}

/**
 * Each app network's members placed on it, and whether it is internal: closed when a member has
 * no internet today or none needs it. Its purpose says who is on it, and why it is closed.
 */
function closeAppNetworks(
	placements: Map<string, Placement>,
	members: Map<string, Set<string>>,
	groupOf: Map<string, string>,
): {internal: Map<string, boolean>; purpose: Map<string, string>} {
	const internal = new Map<string, boolean>();
	const purpose = new Map<string, string>();
	for (const [tier, set] of members) {
		const inside = [...set].map((name) => placements.get(name) as Placement);
		const closed = inside.some((placement) => !placement.egressToday) || !inside.some((placement) => placement.needsEgress);
		internal.set(tier, closed);
		for (const placement of inside) placement.tiers = [...new Set([...placement.tiers, tier])];
		purpose.set(
			tier,
			`${groupOf.size > 0 && [...groupOf.values()].includes(tier) ? 'group' : 'app'} ${tier}: ${[...set].join(', ')}${closed && inside.some((placement) => placement.needsEgress) ? ' (internal: a member has no internet today)' : ''}`,
		);
	}
	return {internal, purpose};
}

/** A service the tiering assigned that no app network took is kept where it is; one unclassified or kept that an app network took is assigned. */
function restatePlacements(placements: Map<string, Placement>): void {
	for (const placement of placements.values()) {
		if (placement.status === 'assigned' && placement.tiers.length === 0)
			Object.assign(placement, {status: 'kept', why: `${placement.why}; no app network to join`});
		else if ((placement.status === 'unclassified' || placement.status === 'kept') && placement.tiers.length > 0) {
			Object.assign(placement, {
				status: 'assigned',
				why: placement.identified?.entry.reason ?? 'not in the catalog: an app of its own',
			});
		}
	}
}

/** The proxy's routes to apps with a network of their own, each on that network, which the proxy joins. */
function routedApps(routes: Route[], placements: Map<string, Placement>, appTier: (owner: string) => string | undefined): Route[] {
	const routed = routes.flatMap((route) => {
		const tier = appTier(route.owner);
		return tier ? [{...route, tier}] : [];
	});
	for (const route of routed) {
		const proxy = placements.get(route.proxy) as Placement;
		proxy.tiers = [...new Set([...proxy.tiers, route.tier])];
	}
	return routed;
}

/** The proxy and the tunnel keep their ingress tier; everything else starts with none. */
function edgeTiers(placement: Placement): string[] {
	return ['proxy', 'tunnel'].includes(placement.identified?.entry.role ?? '') && placement.status === 'assigned' ? ['dmz'] : [];
}

/** An app and every service it depends on, transitively, as namespace owners. */
function withDependencies(app: string, input: PerAppInput): string[] {
	const found = new Set<string>();
	const visit = (name: string) => {
		const owner = namespaceOwner(input.project, name);
		if (found.has(owner) || !input.project.services.has(owner)) return;
		const service = input.project.services.get(owner);
		if (service?.networkModeOther || service?.namespaceContainer) return;
		found.add(owner);
		for (const dependency of input.project.services.get(name)?.dependsOn ?? []) visit(dependency);
		for (const dependency of service?.dependsOn ?? []) visit(dependency);
	};
	visit(app);
	return [...found];
}
