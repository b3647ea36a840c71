/**
 * Warnings about the internet, for any plan (drafted or hand-written): walking the
 * iterations, a service that reaches the internet today must still be on a non-internal
 * network after the last one (unless the plan says `egress: false` for it), and a service
 * that has no way out today must not be given one. Warnings, not errors: the operator may
 * mean it, and the plan still runs.
 */
import {namespaceOwner, type ComposeModel} from '../compose/project.js';
import type {Locate, Problem} from '../domain.js';
import type {Plan} from './schema.js';

export type KnownNetwork = {name: string; internal: boolean};

export function reachWarnings(plan: Plan, project: ComposeModel, locate: Locate, existing: KnownNetwork[] = []): Problem[] {
	const internalOf = internalFlags(plan, project, existing);
	const owners = [...project.services.values()].filter(
		(service) => namespaceOwner(project, service.name) === service.name && !service.networkModeOther && !service.namespaceContainer,
	);
	const membership = new Map(owners.map((service) => [service.name, new Set(service.networks)]));
	const outside = (networks: Set<string>) => [...networks].some((network) => !internalOf(network));
	const today = new Map(owners.map((service) => [service.name, outside(membership.get(service.name) as Set<string>)]));
	const problems: Problem[] = [];
	plan.iterations.forEach((iteration, index) => {
		for (const [name, networks] of Object.entries(iteration.attach)) {
			const set = membership.get(name);
			if (!set) continue;
			const opened = networks.filter((network) => !internalOf(network));
			if (!today.get(name) && opened.length > 0) {
				problems.push({
					message: `iteration ${index + 1} (${iteration.name}) puts ${name} on ${opened.join(', ')}, which is not internal: it has no way to the internet today and would gain one`,
					where: locate(['iterations', index, 'attach', name], true),
					hint: `mark ${opened.join(', ')} internal: true, or attach ${name} to an internal network only`,
				});
			}
			for (const network of networks) set.add(network);
		}
		for (const [name, networks] of Object.entries(iteration.detach)) {
			const targets = name === 'all' ? [...membership.keys()] : [name];
			for (const target of targets) for (const network of networks) membership.get(target)?.delete(network);
		}
	});
	const last = plan.iterations.length;
	for (const [name, networks] of membership) {
		if (!today.get(name) || outside(networks) || plan.services[name]?.egress === false) continue;
		const on = [...networks].join(', ') || 'no network';
		problems.push({
			message: `after iteration ${last} (${plan.iterations.at(-1)?.name}), ${name} is only on internal networks (${on}): it can no longer reach the internet${dependentsNote(project, name)}`,
			where: locate(['iterations', last - 1], true),
			hint: `keep ${name} on a network that is not internal, or say \`services: { ${name}: { egress: false } }\` if it needs no internet`,
		});
	}
	return [
		...problems,
		...ipv6Warnings(
			plan,
			project,
			locate,
			owners.map((service) => service.name),
			membership,
		),
	];
}

/**
 * A service on a dual-stack network today (`enable_ipv6`, or an IPv6 subnet) that the plan leaves
 * on none: it loses its IPv6 addresses and its IPv6 way out, which no IPv4 check would notice.
 * The plan's own networks are IPv4 (validate-stack.ts refuses IPv6 subnets), so detaching the
 * legacy network of a dual-stack stack does this to everyone on it.
 */
function ipv6Warnings(plan: Plan, project: ComposeModel, locate: Locate, owners: string[], after: Map<string, Set<string>>): Problem[] {
	const dualStack = new Set<string>();
	for (const declarations of project.networks.values())
		for (const declaration of declarations.values())
			if (declaration.raw.enable_ipv6 === true || declaration.subnets.some((subnet) => subnet.includes(':')))
				dualStack.add(declaration.name);
	if (dualStack.size === 0) return [];
	const last = plan.iterations.length;
	return owners.flatMap((name) => {
		const today = (project.services.get(name)?.networks ?? []).filter((network) => dualStack.has(network));
		if (today.length === 0 || [...(after.get(name) ?? [])].some((network) => dualStack.has(network))) return [];
		return [
			{
				message: `after iteration ${last} (${plan.iterations.at(-1)?.name}), ${name} is on no network with IPv6 (today: ${today.join(', ')}): it loses its IPv6 addresses and its IPv6 way out${dependentsNote(project, name)}`,
				where: locate(['iterations', last - 1], true),
				hint: `keep ${name} on ${today[0]} (do not detach it there), or accept IPv4 only for it: netmigrate creates IPv4 networks`,
			},
		];
	});
}

function dependentsNote(project: ComposeModel, owner: string): string {
	const followers = [...project.services.values()]
		.filter((service) => service.name !== owner && namespaceOwner(project, service.name) === owner)
		.map((service) => service.name);
	return followers.length > 0 ? ` (nor can ${followers.join(', ')} in its namespace)` : '';
}

/** A network's `internal` flag: the plan's, else the engine's, else the compose file's; a plain bridge otherwise. */
export function internalFlags(plan: Plan, project: ComposeModel, existing: KnownNetwork[]): (network: string) => boolean {
	const declared = new Map<string, boolean>();
	for (const declarations of project.networks.values())
		for (const declaration of declarations.values()) declared.set(declaration.name, declaration.raw.internal === true);
	return (network) =>
		plan.networks[network]?.internal ?? existing.find((fact) => fact.name === network)?.internal ?? declared.get(network) ?? false;
}
