/**
 * Which tiers each service joins, and why. Services are identified by image (catalog), a
 * namespace follower (qbittorrent in gluetun's) brings its tiers to its owner, databases
 * follow the apps that use them, the reverse proxy joins only the tiers of what it routes,
 * services the catalog does not know are classified by what the stack says (inference.ts),
 * and two rules about the internet hold for every draft: a service that reaches the
 * internet today keeps a way out (a tier it needs is drafted non-internal), and a service
 * that has none today gets none (it is never put on a network with a way out).
 */
import {namespaceOwner, type ComposeModel, type ServiceModel} from '../compose/project.js';
import {builtinTiers} from './catalog.js';
import {identify, nameMatches, parseImage} from './images.js';
import {classifyFromStack, dataUsers} from './inference.js';
import {listeningPort} from './listening.js';
import {routedServices} from './routing.js';
import type {NetworkFact, Placement, Route, TierRule} from './draft-words.js';

export type {NetworkFact, Placement, PlacementStatus, Route, TierRule} from './draft-words.js';

export type Tiering = {
	placements: Map<string, Placement>;
	tiers: string[];
	internal: Map<string, boolean>;
	/** Why a tier that is internal by default was drafted with a way out. */
	opened: Map<string, string[]>;
	proxies: string[];
	routes: Route[];
	/** True when routes come from the services' proxy labels, false when assumed from the catalog. */
	routesFromLabels: boolean;
};

export type TieringInput = {
	project: ComposeModel;
	images?: Map<string, string>;
	rules?: TierRule[];
	existingNetworks?: NetworkFact[];
	egressFalse?: Set<string>;
	/** The flat network being retired: a way out through any other network stays. */
	legacy?: string;
	/** Tier networks that already exist on the host (another project's): their `internal` flag cannot change. */
	fixedInternal?: Map<string, boolean>;
};

export function placeServices(input: TieringInput): Tiering {
	const {project} = input;
	const placements = new Map<string, Placement>();
	// A service of an inactive profile is not part of the running stack: compose neither starts nor expects it.
	for (const service of project.services.values()) if (service.active) placements.set(service.name, initialPlacement(service, input));
	for (const placement of placements.values()) {
		if (placement.status !== 'follower') continue;
		const owner = placements.get(placement.owner);
		if (owner && owner.status !== 'immovable') {
			owner.tiers = union(owner.tiers, placement.tiers);
			if (owner.status === 'unclassified' && owner.tiers.length > 0)
				Object.assign(owner, {status: 'assigned', why: `carries ${placement.service.name} in its network namespace`});
			owner.needsEgress ||= placement.needsEgress;
		}
	}
	// What the catalog does not know, the stack may say: proxy routing, loopback-only ports (inference.ts).
	classifyFromStack(placements);
	placeDataStores(placements, project);
	joinDependencies(placements);
	const {routes: wanted, fromLabels} = routedServices(placements);
	const proxyTiers = new Map(wanted.map((route) => [route.proxy, [...(placements.get(route.proxy) as Placement).tiers]]));
	for (const route of wanted) {
		const proxy = placements.get(route.proxy) as Placement;
		proxy.tiers = union(proxy.tiers, [route.tier]);
	}
	const tiers = orderTiers(placements);
	const internal = new Map(
		tiers.map((tier) => [tier, input.fixedInternal?.get(tier) ?? builtinTiers[tier]?.internal ?? !/egress|dmz|internet/.test(tier)]),
	);
	const opened = keepEgress(
		placements,
		internal,
		tiers.filter((tier) => !input.fixedInternal?.has(tier)),
	);
	neverWiden(placements, internal);
	// A routed service kept off its tier (no internet today) is not reached there: the proxy joins only tiers it still uses.
	const routes = wanted.filter((route) => placements.get(route.owner)?.tiers.includes(route.tier));
	for (const [proxy, base] of proxyTiers)
		(placements.get(proxy) as Placement).tiers = union(
			base,
			routes.filter((route) => route.proxy === proxy).map((route) => route.tier),
		);
	return {
		placements,
		tiers: orderTiers(placements),
		internal,
		opened,
		proxies: [...new Set(routes.map((route) => route.proxy))],
		routes,
		routesFromLabels: fromLabels,
	};
}

function initialPlacement(service: ServiceModel, input: TieringInput): Placement {
	// The running container's image first; an image ID (`sha256:…`, after a re-tag) names nothing.
	const running = input.images?.get(service.name);
	const image = running && !/^(sha256:)?[0-9a-f]{12,64}$/.test(running) ? running : service.image;
	const command = Array.isArray(service.config.command) ? service.config.command.join(' ') : String(service.config.command ?? '');
	const containerName = typeof service.config.container_name === 'string' ? service.config.container_name : undefined;
	const rule = input.rules?.find((candidate) => candidate.match.some((key) => ruleMatches(key, service.name, image)));
	const identified = identify({name: service.name, ...(image ? {image} : {}), ...(containerName ? {containerName} : {}), command});
	const entry = identified?.entry;
	const egressToday = hasEgress(service, input);
	const egressBesideLegacy = hasEgress(service, input, input.legacy);
	const declaredFalse = input.egressFalse?.has(service.name) ?? false;
	const base = {
		service,
		owner: namespaceOwner(input.project, service.name),
		...(identified ? {identified} : {}),
		...(rule ? {rule} : {}),
		egressToday,
		egressBesideLegacy,
		egressDropped: false,
	};
	const needsEgress = egressToday && !declaredFalse && (rule !== undefined || entry?.egress !== false);
	const port = listeningPort(service, entry);
	const common = {...base, needsEgress, ...(port ? {port} : {})};
	const tiers = rule?.tiers ?? entry?.tiers ?? [];
	if (service.networkModeOther)
		return {
			...common,
			tiers: [],
			status: 'immovable',
			why: `network_mode: ${service.networkModeOther} — not on any bridge network netmigrate could move`,
		};
	if (service.namespaceContainer)
		return {
			...common,
			tiers: [],
			status: 'immovable',
			why: `shares container ${service.namespaceContainer}'s network namespace (network_mode: container:) — it moves with that container`,
		};
	if (service.namespaceOf)
		return {...common, tiers, status: 'follower', why: `shares ${service.namespaceOf}'s network namespace and moves with it`};
	if (rule) return {...common, tiers, status: 'assigned', why: 'your --tiers rule'};
	if (!entry)
		return {
			...common,
			tiers: [],
			status: 'unclassified',
			why: `image ${image ?? '(none)'} is not in the catalog of well-known images — assign it by hand or with --tiers`,
		};
	const by =
		identified?.by === 'image'
			? `image ${identified.image ? `${identified.image.namespace}/${identified.image.repository}` : image}`
			: 'its name';
	return {
		...common,
		egressDropped: egressToday && !entry.egress && !declaredFalse,
		tiers,
		status: 'assigned',
		why: `${entry.reason} (by ${by})`,
	};
}

function ruleMatches(key: string, name: string, image: string | undefined): boolean {
	const wanted = key.toLowerCase();
	if (image && parseImage(image).repository === wanted) return true;
	return nameMatches(name.toLowerCase(), wanted);
}

/** Today's reach: on at least one network that is not `internal` (the engine's word, else the compose file's). */
function hasEgress(service: ServiceModel, input: TieringInput, except?: string): boolean {
	const owner = input.project.services.get(namespaceOwner(input.project, service.name)) ?? service;
	if (owner.networkModeOther === 'none') return false;
	if (owner.networkModeOther === 'host' || owner.namespaceContainer) return true;
	const declared = new Map<string, boolean>();
	for (const declarations of input.project.networks.values())
		for (const declaration of declarations.values()) declared.set(declaration.name, declaration.raw.internal === true);
	return owner.networks.some(
		(network) =>
			network !== except &&
			!(input.existingNetworks?.find((fact) => fact.name === network)?.internal ?? declared.get(network) ?? false),
	);
}

/** A database or cache joins, for each app that depends on it, that app's innermost tier. */
function placeDataStores(placements: Map<string, Placement>, project: ComposeModel): void {
	for (const placement of placements.values()) {
		if (placement.identified?.entry.role !== 'database' || placement.status !== 'assigned' || placement.rule) continue;
		const found = dataUsers(placement, placements, (name) => namespaceOwner(project, name));
		const users = found.map((item) => item.user);
		const stranded = users.find((user) => placements.get(user.owner)?.status === 'unclassified');
		if (stranded) {
			Object.assign(placement, {
				tiers: [],
				status: 'unclassified',
				why: `used by ${stranded.service.name}, which is not classified: it stays beside it on the legacy network`,
			});
			continue;
		}
		// Data never sits on the user-facing tier: an app there reaches its data over backend.
		const tiers = users.map((user) => {
			const owner = placements.get(user.owner) as Placement;
			if (owner.tiers.at(-1) !== 'frontend') return owner.tiers.at(-1);
			owner.tiers = union(owner.tiers, ['backend']);
			return 'backend';
		});
		const known = tiers.filter((tier): tier is string => Boolean(tier));
		placement.tiers = known.length > 0 ? [...new Set(known)] : ['backend'];
		if (users.length > 0)
			placement.why = `${placement.why}; used by ${found.map((item) => (item.how === 'depends_on' ? item.user.service.name : `${item.user.service.name} (${item.how})`)).join(', ')}`;
	}
}

/** An app that depends on another and shares no tier with it joins the other's first tier. */
function joinDependencies(placements: Map<string, Placement>): void {
	for (const placement of placements.values()) {
		const self = placements.get(placement.owner);
		if (!self || self.status !== 'assigned') continue;
		for (const name of placement.service.dependsOn) {
			const target = placements.get(placements.get(name)?.owner ?? name);
			if (!target || target === self || target.status !== 'assigned' || target.tiers.length === 0) continue;
			if (!target.tiers.some((tier) => self.tiers.includes(tier))) self.tiers = union(self.tiers, [target.tiers[0] as string]);
		}
	}
}

/**
 * Egress is preserved: each owner that needs the internet and would be left on internal tiers
 * only gets one of them opened (the one that serves most such services).
 */
function keepEgress(placements: Map<string, Placement>, internal: Map<string, boolean>, order: string[]): Map<string, string[]> {
	const opened = new Map<string, string[]>();
	const stuck = () =>
		[...placements.values()].filter(
			(placement) =>
				placement.status === 'assigned' &&
				placement.needsEgress &&
				!placement.egressBesideLegacy &&
				placement.tiers.length > 0 &&
				placement.tiers.every((tier) => internal.get(tier)),
		);
	for (let waiting = stuck(); waiting.length > 0; waiting = stuck()) {
		const score = (tier: string) => waiting.filter((placement) => placement.tiers.includes(tier)).length;
		const best = [...order].sort((a, b) => score(b) - score(a) || order.indexOf(a) - order.indexOf(b))[0];
		// Only tiers of existing internal networks are left: the renderer warns for these services.
		if (best === undefined || score(best) === 0) break;
		internal.set(best, false);
		opened.set(
			best,
			waiting.filter((placement) => placement.tiers.includes(best)).map((placement) => placement.service.name),
		);
	}
	return opened;
}

/** A service with no way out today is kept off every tier that has one. */
function neverWiden(placements: Map<string, Placement>, internal: Map<string, boolean>): void {
	for (const placement of placements.values()) {
		if (placement.status !== 'assigned' || placement.egressToday) continue;
		const closed = placement.tiers.filter((tier) => internal.get(tier));
		if (closed.length === placement.tiers.length) continue;
		const dropped = placement.tiers.filter((tier) => !closed.includes(tier));
		placement.tiers = closed;
		placement.why = `${placement.why}; not put on ${dropped.map((tier) => `${tier}-net`).join(', ')}: it has no internet today and those have a way out`;
		if (closed.length === 0) placement.status = 'kept';
	}
}

function orderTiers(placements: Map<string, Placement>): string[] {
	const used = new Set(
		[...placements.values()].filter((placement) => placement.status === 'assigned').flatMap((placement) => placement.tiers),
	);
	const builtin = Object.keys(builtinTiers).filter((tier) => used.has(tier));
	return [...builtin, ...[...used].filter((tier) => !builtin.includes(tier))];
}

function union(a: string[], b: string[]): string[] {
	return [...new Set([...a, ...b])];
}
