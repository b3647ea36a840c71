/**
 * The intended reachability of a stack: which network namespaces (a service and the services
 * that share its namespace with `network_mode: service:`) sit on which networks after a given
 * iteration, and so which may reach which. Minimal stand-in written on the `nomad` branch so
 * the Nomad export can be built; the `map` branch writes the full model with this same API and
 * replaces this file at merge. Membership after iteration k: the compose networks, plus every
 * `attach`, minus every `detach` (`all`: every namespace owner) of iterations 0..k.
 */
import {namespaceOwner, type ComposeModel} from '../compose/project.js';
import type {Plan} from './schema.js';

export type IntendedNamespace = {owner: string; followers: string[]; networks: string[]; egressVia?: string; internalOnly: boolean};
export type IntendedNetwork = {name: string; internal: boolean; subnet?: string; planned: boolean};
export type IntendedStack = {
	iteration: number /* -1: today, before any iteration; k: after iterations 0..k */;
	namespaces: IntendedNamespace[];
	networks: IntendedNetwork[];
};
/** Owners; reachable iff `via` (the networks they share) is non-empty. */
export type IntendedPair = {from: string; to: string; via: string[]};

export function intendedStack(project: ComposeModel, plan: Plan, throughIteration: number): IntendedStack {
	const active = [...project.services.values()].filter((service) => service.active);
	const owners = active.filter((service) => namespaceOwner(project, service.name) === service.name);
	const membership = new Map(
		owners.map((service) => [service.name, new Set(service.networkModeOther || service.namespaceOutside ? [] : service.networks)]),
	);
	plan.iterations.slice(0, throughIteration + 1).forEach((iteration) => {
		for (const [name, networks] of Object.entries(iteration.attach)) for (const network of networks) membership.get(name)?.add(network);
		for (const [name, networks] of Object.entries(iteration.detach)) {
			for (const target of name === 'all' ? [...membership.keys()] : [name])
				for (const network of networks) membership.get(target)?.delete(network);
		}
	});
	const networks = networksOf(project, plan, membership);
	const internal = new Map(networks.map((network) => [network.name, network.internal]));
	const namespaces = owners.map((owner): IntendedNamespace => {
		const on = [...(membership.get(owner.name) ?? [])].sort();
		const egressVia = on.find((network) => !internal.get(network));
		const followers = active
			.filter((service) => service.name !== owner.name && namespaceOwner(project, service.name) === owner.name)
			.map((service) => service.name);
		return {owner: owner.name, followers, networks: on, ...(egressVia ? {egressVia} : {}), internalOnly: egressVia === undefined};
	});
	return {iteration: throughIteration, namespaces, networks};
}

export function intendedPairs(stack: IntendedStack): IntendedPair[] {
	const pairs: IntendedPair[] = [];
	for (const from of stack.namespaces) {
		for (const to of stack.namespaces) {
			if (from.owner === to.owner) continue;
			pairs.push({from: from.owner, to: to.owner, via: from.networks.filter((network) => to.networks.includes(network))});
		}
	}
	return pairs;
}

function networksOf(project: ComposeModel, plan: Plan, membership: Map<string, Set<string>>): IntendedNetwork[] {
	const declared = new Map([...project.declaredNetworks.values()].map((declaration) => [declaration.name, declaration]));
	const names = new Set([...membership.values()].flatMap((set) => [...set]));
	return [...names].sort().map((name) => {
		const planned = plan.networks[name];
		const declaration = declared.get(name);
		const subnet = planned?.subnet ?? declaration?.subnets[0];
		return {
			name,
			internal: planned?.internal ?? declaration?.raw.internal === true,
			...(subnet ? {subnet} : {}),
			planned: planned !== undefined,
		};
	});
}
