/**
 * Subnet-bearing variables a new network affects. A VPN's outbound allow-list
 * (`FIREWALL_OUTBOUND_SUBNETS`, `LOCAL_NETWORK`) must let the new networks through or its
 * clients time out; an app's trusted-proxy list (`TRUSTED_PROXIES`, `TRUST_PROXY`, …) must
 * hold the proxy's new subnet or it logs the proxy's address as the client and rate-limits it.
 * A VPN that carries other services and has no allow-list at all is a warning, not a guess.
 */
import {ComposeEditor} from '../compose/edits.js';
import type {ComposeModel, ServiceModel} from '../compose/project.js';
import {NetmigrateError} from '../errors.js';
import {contains, parseCidr} from './subnets.js';
import type {Placement, Route} from './tiering.js';

export type AllowListEntry = {service: string; variable: string; ensure: string[]; why: string};

/** The variables a VPN container's firewall reads its allow-list from. */
export const vpnVariables = ['FIREWALL_OUTBOUND_SUBNETS', 'LOCAL_NETWORK'];
const trustedProxyVariable = /^(TRUST_PROXY|TRUSTEDPROXIES|TRUSTED_PROXIES|[A-Z0-9_]+_TRUSTED_PROXIES)$/;

export type AllowListInput = {
	project: ComposeModel;
	placements: Map<string, Placement>;
	routes: Route[];
	/** Subnet of each drafted tier network, by tier. */
	subnetOf: (tier: string) => string | undefined;
	/** Every new subnet, covered by one or two ranges (their /16s) where that is tidy. */
	covering: string[];
};

export function draftAllowLists(input: AllowListInput): {entries: AllowListEntry[]; warnings: string[]} {
	const entries: AllowListEntry[] = [];
	const warnings: string[] = [];
	for (const placement of input.placements.values()) {
		if (placement.status !== 'assigned') continue;
		const service = placement.service;
		const vpnVariable = vpnVariables.find((name) => has(service, name));
		if (vpnVariable) {
			const missing = uncovered(service, vpnVariable, input.covering);
			if (missing.length > 0)
				entries.push({
					service: service.name,
					variable: vpnVariable,
					ensure: missing,
					why: "the VPN's firewall must let clients on the new networks through, or they see timeouts",
				});
		} else if (placement.identified?.entry.role === 'vpn' && followers(input.placements, service.name).length > 0) {
			warnings.push(
				`${service.name} carries ${followers(input.placements, service.name).join(', ')} in its namespace but sets no outbound allow-list (FIREWALL_OUTBOUND_SUBNETS or LOCAL_NETWORK): if its firewall blocks unknown subnets, clients on the new networks will time out — check its documentation`,
			);
		}
	}
	warnings.push(...ingressNetworkWarnings(input));
	for (const route of input.routes) {
		const service = input.placements.get(route.service)?.service;
		const subnet = input.subnetOf(route.tier);
		if (!service || !subnet) continue;
		for (const variable of service.environment.map((item) => item.key).filter((key) => trustedProxyVariable.test(key))) {
			const current = service.environment.find((item) => item.key === variable)?.value ?? '';
			// `TRUST_PROXY=true` is a switch, not a list: nothing to add.
			if (current !== '' && !current.split(/[,\s]+/).some((item) => parseCidr(item.includes('/') ? item : `${item}/32`))) continue;
			const missing = uncovered(service, variable, [subnet]);
			if (missing.length > 0)
				entries.push({
					service: service.name,
					variable,
					ensure: missing,
					why: `${route.proxy} will reach it from ${route.tier}-net`,
				});
		}
	}
	return {entries: entries.filter((entry) => editable(input.project, entry, warnings)), warnings};
}

/**
 * An entry the editor would refuse (a `.env` variable other services or settings read too) is not
 * drafted: the plan would fail its own dry run. Its refusal, with the fix, becomes a warning.
 */
function editable(project: ComposeModel, entry: AllowListEntry, warnings: string[]): boolean {
	try {
		new ComposeEditor(project).ensureAllowList(entry.service, entry.variable, entry.ensure);
		return true;
	} catch (error) {
		if (!(error instanceof NetmigrateError)) throw error;
		warnings.push(
			`${entry.service}'s ${entry.variable} is left out of the draft (add ${entry.ensure.join(', ')} by hand): ${error.message}${error.hint ? `; ${error.hint}` : ''}`,
		);
		return false;
	}
}

function has(service: ServiceModel, variable: string): boolean {
	return service.environment.some((item) => item.key === variable);
}

function uncovered(service: ServiceModel, variable: string, wanted: string[]): string[] {
	return uncoveredBy(service.environment.find((item) => item.key === variable)?.value ?? '', wanted);
}

/** The ranges of `wanted` that no range of an allow-list's value (comma or space separated) contains. */
export function uncoveredBy(current: string, wanted: string[]): string[] {
	const covered = current
		.split(/[,\s]+/)
		.map((item) => parseCidr(item.trim()))
		.filter((cidr) => cidr !== undefined);
	return wanted.filter((range) => {
		const cidr = parseCidr(range);
		return !cidr || !covered.some((have) => contains(have, cidr));
	});
}

function followers(placements: Map<string, Placement>, owner: string): string[] {
	return [...placements.values()]
		.filter((placement) => placement.status === 'follower' && placement.owner === owner)
		.map((placement) => placement.service.name);
}

/** One `ensure` covering every new subnet: their common /16 when they share one or two, else each. */
export function coveringRanges(subnets: string[]): string[] {
	const sixteens = [...new Set(subnets.map((subnet) => `${subnet.split('.').slice(0, 2).join('.')}.0.0/16`))];
	return sixteens.length <= 2 ? sixteens : subnets;
}

/** caddy-docker-proxy only routes over the networks `CADDY_INGRESS_NETWORKS` names (network names, not subnets). */
function ingressNetworkWarnings(input: AllowListInput): string[] {
	const warnings: string[] = [];
	for (const proxy of new Set(input.routes.map((route) => route.proxy))) {
		const service = input.placements.get(proxy)?.service;
		const current = service?.environment.find((item) => item.key === 'CADDY_INGRESS_NETWORKS')?.value;
		if (!service || current === undefined) continue;
		const wanted = [...new Set(input.routes.filter((route) => route.proxy === proxy).map((route) => `${route.tier}-net`))];
		const missing = wanted.filter(
			(network) =>
				!current
					.split(',')
					.map((item) => item.trim())
					.includes(network),
		);
		if (missing.length > 0)
			warnings.push(
				`${proxy}'s CADDY_INGRESS_NETWORKS (${current}) must also name ${missing.join(', ')} before ${current} is retired, or it stops routing`,
			);
	}
	return warnings;
}
