/**
 * The words the drafting modules share (a service's placement, a proxy's route, the draft's
 * input and result): one module every drafting file may import, so none imports another's
 * types in a circle.
 */
import type {ComposeModel, ServiceModel} from '../compose/project.js';
import type {Identified} from './images.js';
import type {ListeningPort} from './listening.js';

/** An operator's rule from `--tiers`: a repository or service name and the tiers it joins. */
export type TierRule = {match: string[]; tiers: string[]};

/** A network the engine already has (the discovered picture `init` reads). */
export type NetworkFact = {name: string; internal: boolean; subnets: string[]; labels?: Record<string, string>; project?: string};

export type PlacementStatus = 'assigned' | 'unclassified' | 'follower' | 'immovable' | 'kept';

export type Placement = {
	service: ServiceModel;
	owner: string;
	identified?: Identified;
	rule?: TierRule;
	tiers: string[];
	status: PlacementStatus;
	why: string;
	egressToday: boolean;
	/** A network with a way out that it keeps after the legacy network is retired. */
	egressBesideLegacy: boolean;
	needsEgress: boolean;
	/** The catalog says it needs no internet: drafted `egress: false`, so it loses it at retire. */
	egressDropped: boolean;
	port?: ListeningPort;
};

export type Route = {proxy: string; service: string; owner: string; tier: string; port?: ListeningPort};

export type Accounting = {service: string; where: string; why: string};

export type DraftInput = {
	project: ComposeModel;
	legacy: string;
	/** Subnets already taken: engine networks, compose-declared subnets and host routes. */
	usedSubnets: string[];
	/** Image per service, from the running containers where known. */
	images?: Map<string, string>;
	/** The operator's `--tiers` rules, tried before the catalog. */
	rules?: TierRule[];
	/** The networks the engine has (every project's): reused by name, and today's `internal` flags. */
	existingNetworks?: NetworkFact[];
	pool?: string;
	composeFiles: string[];
	stackRoot: string;
	/** A swarm stack (`init --swarm`): only what netmigrate does on a swarm is drafted. */
	target?: 'swarm';
	/** The engine is older than 28: name tiers with a way out so they sort after the legacy network (draft.ts `tierNetworkNamer`). */
	keepEgressByName?: boolean;
};

export type DraftResult = {
	text: string;
	unclassified: string[];
	networks: Record<string, {subnet: string; internal: boolean}>;
	warnings: string[];
};
