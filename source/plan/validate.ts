/**
 * What the plan means against the compose project: every service, network, subnet and
 * check must make sense, iteration by iteration (a check may rely on an attach made in
 * an earlier iteration). Pure: the engine-dependent subnet checks are in `safety.ts`.
 */
import {interpolate} from '../compose/interpolate.js';
import {namespaceOwner, namespaceOwnerOf, type ComposeModel, type ServiceModel} from '../compose/project.js';
import {portEntries} from '../compose/ports.js';
import type {Locate, Problem} from '../domain.js';
import type {Check, FirewallRule, Iteration, Plan} from './schema.js';
import {cidrProblem, overlaps, parseCidr} from './subnets.js';
import {composeNetworkNames, declaredSubnetOverlaps, plannedNetworkProblems, stackProblems, type Report} from './validate-stack.js';

/** Environment variables VPN containers carry their tunnel address in. */
const tunnelVariables = ['WIREGUARD_ADDRESSES', 'VPN_ADDRESS', 'OPENVPN_ADDRESS'];

type At = Array<string | number>;

/** What the iteration checks share: the project, where to report, and each service's networks as the iterations so far leave them. */
type Validation = {
	project: ComposeModel;
	options: {startedIterations?: Set<string>};
	report: Report;
	membership: Map<string, Set<string>>;
	requireService: (name: string, at: At, onKey?: boolean) => ServiceModel | undefined;
	requireNetwork: (name: string, at: At) => boolean;
	ownNetworks: (service: ServiceModel, at: At, verb: string) => boolean;
};

export function validatePlan(
	plan: Plan,
	project: ComposeModel,
	locate: Locate,
	options: {startedIterations?: Set<string>} = {},
): Problem[] {
	const problems: Problem[] = [];
	const report: Report = (message, at, hint, onKey = false) => {
		problems.push({message, where: locate(at, onKey), ...(hint ? {hint} : {})});
	};
	stackProblems(plan, project, report);
	plannedNetworkProblems(plan, project, report);
	problems.push(...declaredSubnetOverlaps(plan, project, locate));
	const validation = validationOf(plan, project, report, options);
	for (const name of Object.keys(plan.services)) validation.requireService(name, ['services', name], true);
	const iterationNames = new Map<string, number>();
	plan.iterations.forEach((iteration, index) => {
		const base = ['iterations', index];
		const previous = iterationNames.get(iteration.name);
		if (previous !== undefined)
			report(
				`iteration name ${iteration.name} is used twice (also iteration ${previous + 1})`,
				[...base, 'name'],
				'give every iteration its own name',
			);
		else iterationNames.set(iteration.name, index);
		checkAttach(validation, iteration, base);
		for (const name of Object.keys(iteration.labels)) validation.requireService(name, [...base, 'labels', name], true);
		iteration.firewall.forEach((rule, position) => checkFirewall(validation, rule, [...base, 'firewall', position]));
		checkUnpublish(validation, iteration, base);
		checkDetach(validation, iteration, base);
		iteration.checks.forEach((check, position) => checkConnectivity(validation, check, [...base, 'checks', position]));
	});
	return problems;
}

function validationOf(plan: Plan, project: ComposeModel, report: Report, options: Validation['options']): Validation {
	const knownNetworks = new Set([...Object.keys(plan.networks), plan.legacy, ...composeNetworkNames(project).keys()]);
	const serviceNames = [...project.services.keys()];
	const membership = new Map<string, Set<string>>();
	for (const service of project.services.values()) membership.set(service.name, new Set(service.networks));

	const requireService = (name: string, at: Array<string | number>, onKey = false): ServiceModel | undefined => {
		const service = project.services.get(name);
		if (!service) report(`unknown service ${name}`, at, suggest(name, serviceNames, 'services in the compose project'), onKey);
		else if (!service.active) {
			report(
				`service ${name} is in profile ${service.profiles.join(', ')}, which is not active: compose neither starts it nor expects it`,
				at,
				`activate the profile (\`stack.profiles\` in the plan, --profile, or COMPOSE_PROFILES), or leave ${name} out of the plan`,
				onKey,
			);
			return undefined;
		}
		return service;
	};
	const requireNetwork = (name: string, at: Array<string | number>): boolean => {
		if (knownNetworks.has(name)) return true;
		report(`unknown network ${name}`, at, suggest(name, [...knownNetworks], 'networks in the plan and the compose files'));
		return false;
	};
	const ownNetworks = (service: ServiceModel, at: Array<string | number>, verb: string): boolean => {
		if (!service.namespaceOf && !service.namespaceContainer && !service.networkModeOther) return true;
		const owner = service.namespaceOf ?? service.namespaceContainer;
		const outside = service.namespaceOutside === true;
		report(
			owner
				? `service ${service.name} shares ${outside ? `the network namespace of container ${owner}, which is not part of this project,` : `${owner}'s network namespace`} and has no networks of its own to ${verb}`
				: `service ${service.name} uses network_mode: ${service.networkModeOther}`,
			at,
			owner
				? outside
					? `${verb} ${owner} with a plan for its own compose project; ${service.name} follows it`
					: `${verb} ${owner} instead; ${service.name} follows it`
				: 'leave it out of the plan',
			true,
		);
		return false;
	};
	return {project, options, report, membership, requireService, requireNetwork, ownNetworks};
}

function checkAttach({requireService, requireNetwork, ownNetworks, membership}: Validation, iteration: Iteration, base: At): void {
	for (const [name, networks] of Object.entries(iteration.attach)) {
		const service = requireService(name, [...base, 'attach', name], true);
		networks.forEach((network, position) => requireNetwork(network, [...base, 'attach', name, position]));
		if (service && ownNetworks(service, [...base, 'attach', name], 'attach')) {
			for (const network of networks) membership.get(name)?.add(network);
		}
	}
}

function checkFirewall({requireService, report, project}: Validation, rule: FirewallRule, at: At): void {
	const service = requireService(rule.service, [...at, 'service']);
	rule.ensure.forEach((subnet, subnetIndex) => {
		const problem = cidrProblem(subnet);
		if (problem) report(`firewall ${rule.service}: ${problem}`, [...at, 'ensure', subnetIndex], 'a CIDR range such as 172.20.0.0/16');
	});
	if (!service) return;
	const declared = service.environment.some((entry) => entry.key === rule.variable) || service.envFiles.length > 0;
	if (!declared) {
		report(
			`service ${rule.service} does not set ${rule.variable}`,
			[...at, 'variable'],
			`add ${rule.variable} to ${rule.service}'s environment with its current allow-list, or fix the variable name`,
		);
	}
	// The allow-list is shown in clear in every diff: a variable that holds anything but subnets or addresses (a key, a password) is no allow-list.
	const current = service.environment.find((entry) => entry.key === rule.variable)?.value;
	const value = current === undefined ? project.variables[rule.variable] : interpolateQuietly(current, project.variables);
	if (value !== undefined && !isAddressList(value)) {
		report(
			`firewall ${rule.service}: ${rule.variable} does not hold a list of subnets or addresses, so it is no allow-list (its value is not shown)`,
			[...at, 'variable'],
			`name the variable that holds ${rule.service}'s allow-list of subnets (e.g. FIREWALL_OUTBOUND_SUBNETS), comma-separated CIDR ranges or addresses`,
		);
	}
	for (const variable of tunnelVariables) {
		const tunnel = service.environment.find((entry) => entry.key === variable)?.value;
		for (const address of tunnel?.split(',') ?? []) {
			const tunnelRange = parseCidr(address.includes('/') ? address : `${address}/32`);
			rule.ensure.forEach((subnet, subnetIndex) => {
				const range = parseCidr(subnet);
				if (tunnelRange && range && overlaps(tunnelRange, range)) {
					report(
						`firewall ${rule.service}: ${subnet} overlaps the VPN tunnel range ${address.trim()} (${variable})`,
						[...at, 'ensure', subnetIndex],
						"an allow-list must not cover the tunnel's own addresses; narrow the range",
					);
				}
			});
		}
	}
}

function checkUnpublish({requireService, report, options}: Validation, iteration: Iteration, base: At): void {
	for (const [name, ports] of Object.entries(iteration.unpublish)) {
		const service = requireService(name, [...base, 'unpublish', name], true);
		if (!service) continue;
		const published = publishedPorts(service);
		if (options.startedIterations?.has(iteration.name)) continue;
		ports.forEach((port, position) => {
			if (!published.includes(port)) {
				report(
					`service ${name} does not publish host port ${port}`,
					[...base, 'unpublish', name, position],
					published.length > 0 ? `it publishes ${published.join(', ')}` : `${name} publishes no host ports`,
				);
			}
		});
	}
}

function checkDetach(
	{project, requireService, requireNetwork, ownNetworks, membership, report}: Validation,
	iteration: Iteration,
	base: At,
): void {
	for (const [name, networks] of Object.entries(iteration.detach)) {
		const targets =
			name === 'all'
				? [...project.services.values()].filter(
						(service) => service.active && !service.namespaceOf && !service.namespaceContainer && !service.networkModeOther,
					)
				: [requireService(name, [...base, 'detach', name], true)];
		networks.forEach((network, position) => requireNetwork(network, [...base, 'detach', name, position]));
		for (const service of targets) {
			if (!service) continue;
			if (name !== 'all' && !ownNetworks(service, [...base, 'detach', name], 'detach')) continue;
			const current = membership.get(service.name) as Set<string>;
			for (const network of networks) current.delete(network);
			if (current.size === 0) {
				report(
					`detaching ${service.name} from ${networks.join(', ')} would leave it on no network`,
					[...base, 'detach', name],
					`attach ${service.name} to a new network first (in this or an earlier iteration)`,
					true,
				);
			}
		}
	}
}

function checkConnectivity({project, requireService, requireNetwork, membership, report}: Validation, check: Check, at: At): void {
	const from = requireService(check.from, [...at, 'from']);
	const [targetName, port] = check.to.split(':') as [string, string];
	const target = requireService(targetName, [...at, 'to']);
	if (Number(port) < 1 || Number(port) > 65_535)
		report(`check ${check.from} → ${check.to}: port ${port} is out of range`, [...at, 'to'], 'a TCP port between 1 and 65535');
	if (!from || !target || !check.via || !requireNetwork(check.via, [...at, 'via'])) return;
	const owner = namespaceOwner(project, target.name);
	const outside = namespaceOwnerOf(project, target.name);
	if ('container' in outside) {
		report(
			`check ${check.from} → ${check.to} goes via ${check.via}, but ${target.name} lives in the network namespace of container ${outside.container}, outside this project`,
			[...at, 'via'],
			`attach ${outside.container} to ${check.via} from its own project's plan, or drop \`via\``,
		);
	} else if (!membership.get(owner)?.has(check.via)) {
		const on = [...(membership.get(owner) ?? [])].join(', ') || 'no network';
		report(
			`check ${check.from} → ${check.to} goes via ${check.via}, but ${owner === target.name ? target.name : `${target.name} (in ${owner}'s namespace)`} is not on ${check.via} at this iteration (it is on ${on})`,
			[...at, 'via'],
			`attach ${owner} to ${check.via} in this or an earlier iteration, or check via a network it is on`,
		);
	}
}

export function publishedPorts(service: ServiceModel): string[] {
	// service.config is interpolated: `${PORT_WEB}:8096` reads as compose reads it.
	return portEntries(service.config.ports).flatMap((entry) => (entry.published === undefined ? [] : [entry.published]));
}

/** "did you mean …?" by edit distance, or the list of what exists. */
export function suggest(name: string, known: string[], what: string): string {
	const scored = known.map((candidate) => ({candidate, distance: editDistance(name.toLowerCase(), candidate.toLowerCase())}));
	scored.sort((a, b) => a.distance - b.distance);
	const best = scored[0];
	if (best && best.distance <= Math.max(2, Math.floor(name.length / 3))) return `did you mean ${best.candidate}?`;
	return `${what}: ${known.slice(0, 12).join(', ')}${known.length > 12 ? ', …' : ''}`;
}

function editDistance(a: string, b: string): number {
	let previous = Array.from({length: b.length + 1}, (_, index) => index);
	for (let row = 1; row <= a.length; row++) {
		const current = [row];
		for (let column = 1; column <= b.length; column++) {
			const cost = a[row - 1] === b[column - 1] ? 0 : 1;
			current[column] = Math.min(
				(previous[column] as number) + 1,
				(current[column - 1] as number) + 1,
				(previous[column - 1] as number) + cost,
			);
		}
		previous = current;
	}
	return previous[b.length] as number;
}

/** Comma- or space-separated IPv4/IPv6 addresses or CIDR ranges (empty: a list still to fill). */
export function isAddressList(value: string): boolean {
	const items = value.split(/[\s,]+/).filter(Boolean);
	return items.every((item) => /^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(item) && /[.:]/.test(item));
}

function interpolateQuietly(text: string, variables: Record<string, string | undefined>): string | undefined {
	try {
		return interpolate(text, variables);
	} catch {
		return undefined;
	}
}
