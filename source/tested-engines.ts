/**
 * The engines and composes netmigrate is tested on, and what is known to differ on newer ones.
 * Engine 29 and Compose v5 are what new hosts run, and no package on the test machines carries
 * them, so preflight cannot refuse them and cannot vouch for them either: it warns, naming the
 * differences known from their projects (issue 23), and goes on. Pure: preflight reads the facts
 * from the engine and hands them in; the tests feed them directly.
 */
import type {ComposeModel} from './compose/project.js';
import type {Plan} from './plan/schema.js';

/** Tested pairs, oldest first: Engine 26.1 + Compose 2.26 and Engine 28.5 + Compose 2.40. */
export const testedEngines = ['26.1', '28.5'];
export const testedComposes = ['2.26', '2.40'];

export type EngineFacts = {
	engineVersion: string;
	composeVersion: string;
	/** `docker info`'s `FirewallBackend.Driver` (API 1.51+): `iptables`, `nftables`, `iptables+firewalld`. */
	firewallBackend?: string;
	/** Services that share another service's namespace (`network_mode: service:`), by owner. */
	followers?: Map<string, string[]>;
	/** Networks of the plan with an IPv6 subnet. */
	dualStackNetworks?: string[];
};

/** A version's numbers (`v5.5.0-desktop.1` → [5, 5, 0]); a part that is no number reads as 0. */
export function versionParts(version: string): number[] {
	return (version.trim().replace(/^v/, '').split(/[-+ ]/)[0] ?? '').split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : 0));
}

/** Compares two versions part by part: negative, zero or positive, as `a` is older, the same or newer. */
export function compareVersions(a: string, b: string): number {
	const [left, right] = [versionParts(a), versionParts(b)];
	for (let index = 0; index < Math.max(left.length, right.length); index++) {
		const difference = (left[index] ?? 0) - (right[index] ?? 0);
		if (difference !== 0) return difference;
	}
	return 0;
}

/** Newer than every tested `major.minor`: 28.5.2 is tested (a patch release), 28.6.0 and 29.8.1 are not. */
export function newerThanTested(version: string, tested: string[]): boolean {
	const [major = 0, minor = 0] = versionParts(version);
	return tested.every((release) => compareVersions(`${major}.${minor}`, release) > 0);
}

/**
 * The warnings preflight prints: a line per fact, each saying what differs and what netmigrate
 * does about it. Empty on a tested engine with nothing known to differ.
 */
export function engineWarnings(facts: EngineFacts): string[] {
	const warnings: string[] = [];
	const engineNewer = newerThanTested(facts.engineVersion, testedEngines);
	const composeNewer = newerThanTested(facts.composeVersion, testedComposes);
	if (engineNewer) {
		warnings.push(
			`Docker Engine ${facts.engineVersion} is newer than the engines netmigrate is tested on (${testedEngines.join(', ')}): it runs, but nothing here has proved it there`,
		);
	}
	if (composeNewer) {
		warnings.push(
			`Docker Compose ${facts.composeVersion} is newer than the composes netmigrate is tested on (${testedComposes.join(', ')}): it runs, but nothing here has proved it there`,
		);
	}
	if (facts.firewallBackend?.startsWith('nftables')) {
		warnings.push(
			"this engine's firewall backend is nftables (docker info: FirewallBackend): the iptables isolation chains (DOCKER-ISOLATION-STAGE-1/2) are gone (moby #49981) and the engine isolates networks in its own nftables tables; the blocked checks still prove the isolation, but rules an owner keeps in the iptables DOCKER-USER chain no longer filter container traffic",
		);
	}
	const followers = [...(facts.followers ?? new Map<string, string[]>())].filter(([, names]) => names.length > 0);
	if (compareVersions(facts.composeVersion, '5.2') >= 0 && followers.length > 0) {
		const named = followers.map(([owner, names]) => `${owner} (${names.join(', ')})`).join('; ');
		warnings.push(
			`Docker Compose ${facts.composeVersion} recreates network_mode: service: followers on every \`up\` (compose #13878), not only when their owner changes: each recreate netmigrate makes also restarts the followers of ${named}`,
		);
	}
	if (compareVersions(facts.engineVersion, '28') >= 0 && (facts.dualStackNetworks?.length ?? 0) > 0) {
		warnings.push(
			`Engine 28 and later ignore gw_priority for the IPv6 default route on dual-stack networks (moby #51999): a container on ${facts.dualStackNetworks?.join(', ')} may take its IPv6 default route from another network than its IPv4 one`,
		);
	}
	return warnings;
}

/** What the stack and the plan say that the warnings need: `service:` followers by owner, networks with an IPv6 subnet. */
export function stackFacts(project: ComposeModel, plan: Plan): Pick<EngineFacts, 'followers' | 'dualStackNetworks'> {
	const followers = new Map<string, string[]>();
	for (const service of project.services.values()) {
		if (service.active && service.namespaceOf)
			followers.set(service.namespaceOf, [...(followers.get(service.namespaceOf) ?? []), service.name]);
	}
	const dualStackNetworks = Object.entries(plan.networks).flatMap(([name, network]) => (network.subnet.includes(':') ? [name] : []));
	return {followers, dualStackNetworks};
}
