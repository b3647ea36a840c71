/**
 * The plan's `stack:` and `networks:` against the compose project: the project name as
 * compose gives it, the files compose reads, planned subnets (valid, gateways inside, not
 * overlapping each other nor a subnet the compose files declare) and names compose does not
 * already manage. Pure: the engine-dependent subnet checks are in `safety.ts`.
 */
import path from 'node:path';
import type {ComposeModel} from '../compose/project.js';
import type {Locate, Problem} from '../domain.js';
import type {Plan} from './schema.js';
import {cidrProblem, containsAddress, overlaps, parseCidr} from './subnets.js';

export type Report = (message: string, at: Array<string | number>, hint?: string, onKey?: boolean) => void;

const nameSources: Record<ComposeModel['projectNameFrom'], string> = {
	option: '-p',
	environment: 'COMPOSE_PROJECT_NAME in the shell',
	'env-file': 'COMPOSE_PROJECT_NAME in the env file',
	name: 'the top-level `name:`',
	folder: 'the folder name',
};

export function stackProblems(plan: Plan, project: ComposeModel, report: Report): void {
	if (plan.stack.project && plan.stack.project !== project.projectName) {
		report(
			`this plan is for project ${plan.stack.project}, but the compose files in ${project.root} are project ${project.projectName}`,
			['stack', 'project'],
			`compose takes the name ${project.projectName} from ${nameSources[project.projectNameFrom]}: run netmigrate in the right stack folder, fix \`stack.project\`, or name the project as compose would (-p ${plan.stack.project}, COMPOSE_PROJECT_NAME in .env, or \`name:\`)`,
		);
	}

	if (project.unlistedOverride) {
		const override = path.relative(project.root, project.unlistedOverride);
		report(
			`compose run without -f also reads ${override}, which \`stack.files\` leaves out: netmigrate would read, edit and recreate the stack without it`,
			['stack', 'files'],
			`add ${override} to \`stack.files\` after the file it overrides (netmigrate passes every file to compose, in order)`,
		);
	}
}

export function plannedNetworkProblems(plan: Plan, project: ComposeModel, report: Report): void {
	const planned = Object.entries(plan.networks);
	const composeNetworks = composeNetworkNames(project);
	for (const [name, network] of planned) {
		const subnetProblem = cidrProblem(network.subnet);
		if (subnetProblem)
			report(`network ${name}: ${subnetProblem}`, ['networks', name, 'subnet'], 'use a network range such as 172.20.1.0/24');
		else if (parseCidr(network.subnet)?.address.kind() === 'ipv6') {
			// A plan network has one subnet, so an IPv6 one would make an IPv6-only network; dual-stack
			// needs EnableIPv6 and a default route netmigrate cannot keep: Engine 28 ignores gw_priority
			// for IPv6 on dual-stack networks (moby #51999, compose #13599).
			report(
				`network ${name}: ${network.subnet} is an IPv6 range; netmigrate creates IPv4 networks only, because it cannot yet keep a container's IPv6 default route where it was`,
				['networks', name, 'subnet'],
				'give it an IPv4 subnet such as 172.20.1.0/24; dual-stack networks already in the stack keep their IPv6 as they are',
			);
		}
		if (network.gateway !== undefined) {
			const range = parseCidr(network.subnet);
			if (range && !containsAddress(range, network.gateway)) {
				report(
					`network ${name}: gateway ${network.gateway} is outside its subnet ${network.subnet}`,
					['networks', name, 'gateway'],
					'pick an address inside the subnet (usually its first, e.g. .1) or leave gateway out',
				);
			}
		}
		if (name === plan.legacy)
			report(
				`network ${name} is the legacy network; it cannot be planned as a new one`,
				['networks', name],
				'give the new network another name',
				true,
			);
		const managed = composeNetworks.get(name);
		if (managed && !managed.external) {
			report(
				`network ${name} is already declared in ${managed.file} as managed by compose`,
				['networks', name],
				'netmigrate creates planned networks outside compose; choose another name, or declare it external in that file',
				true,
			);
		}
	}
	for (let first = 0; first < planned.length; first++) {
		for (let second = first + 1; second < planned.length; second++) {
			const [leftName, left] = planned[first] as [string, Plan['networks'][string]];
			const [rightName, right] = planned[second] as [string, Plan['networks'][string]];
			const a = parseCidr(left.subnet);
			const b = parseCidr(right.subnet);
			if (a && b && overlaps(a, b)) {
				report(
					`networks ${leftName} (${left.subnet}) and ${rightName} (${right.subnet}) overlap`,
					['networks', rightName, 'subnet'],
					'give each network its own range',
				);
			}
		}
	}
}

/**
 * A planned subnet must not overlap a subnet the stack's own compose files declare (ipam,
 * after interpolation from .env): compose would fail to create that network, or the two
 * would shadow each other — found here, without an engine.
 */
export function declaredSubnetOverlaps(plan: Plan, project: ComposeModel, locate: Locate): Problem[] {
	const problems: Problem[] = [];
	for (const [name, network] of Object.entries(plan.networks)) {
		const range = parseCidr(network.subnet);
		if (!range) continue;
		for (const declared of project.declaredNetworks.values()) {
			if (declared.name === name) continue;
			for (const subnet of declared.subnets) {
				const other = parseCidr(subnet);
				if (!other || !overlaps(range, other)) continue;
				problems.push({
					message: `network ${name} (${network.subnet}) overlaps ${subnet}, the subnet ${path.basename(declared.file)} declares for network ${declared.name}`,
					where: locate(['networks', name, 'subnet']),
					hint: "pick a range outside the stack's own networks (`netmigrate init` proposes free ones)",
				});
			}
		}
	}
	return problems;
}

/** Every network the compose files declare, by engine name, with where and whether external. */
export function composeNetworkNames(project: ComposeModel): Map<string, {file: string; external: boolean}> {
	const names = new Map<string, {file: string; external: boolean}>();
	for (const [file, declarations] of project.networks) {
		for (const declaration of declarations.values()) {
			if (!names.has(declaration.name) || !declaration.external) names.set(declaration.name, {file, external: declaration.external});
		}
	}
	return names;
}
