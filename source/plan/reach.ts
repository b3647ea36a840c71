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
	return problems;
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
