/**
 * `netmigrate init`: draft a plan from the stack's compose files and what the engine runs.
 * Services go into tiers by what their image is (`catalog.ts`, `tiering.ts`), checks probe
 * the ports the stack itself names (`listening.ts`), the whole migration is drafted
 * (`iterations.ts`), and the result is a commented plan the operator edits (`render.ts`).
 * `--preset per-app` drafts reference 004's model instead (`perapp.ts`).
 */
import {draftAllowLists, coveringRanges} from './allowlists.js';
import {builtinTiers} from './catalog.js';
import {pickNetworks} from './host.js';
import {account, draftIterations, droppedEgress} from './iterations.js';
import {renderPlan, type DraftDocument} from './render.js';
import {forSwarm} from './swarm-draft.js';
import {networkOfTier, tierNetworkNamer} from './network-names.js';
import type {DraftInput, DraftResult} from './draft-words.js';
import {placeServices, type NetworkFact, type TierRule, type Tiering} from './tiering.js';

export type {TierRule, NetworkFact};
export type {DraftInput, DraftResult} from './draft-words.js';
export {coveringRanges};
export {networkOfTier, tierNetworkNamer};

export function draftTieredPlan(input: DraftInput): DraftResult {
	const fixed = fixedTiers(input.existingNetworks ?? [], input.legacy);
	const tiering = placeServices({project: input.project, legacy: input.legacy, ...optional(input), fixedInternal: fixed});
	const networkOf = tierNetworkNamer(input, (tier) => tiering.internal.get(tier) ?? true);
	const picked = pickNetworks(
		tiering.tiers.map((tier) => ({name: networkOf(tier), internal: tiering.internal.get(tier) ?? true})),
		input.existingNetworks ?? [],
		input.usedSubnets,
		input.pool,
	);
	const subnetOf = (tier: string) => picked.get(networkOf(tier))?.subnet;
	const allow = draftAllowLists({
		project: input.project,
		placements: tiering.placements,
		routes: tiering.routes,
		subnetOf,
		covering: coveringRanges([...picked.values()].map((network) => network.subnet)),
	});
	const iterations = draftIterations({tiering, legacy: input.legacy, networkOf, allowLists: allow.entries});
	const drafted: DraftDocument = {
		comment: [
			`netmigrate plan drafted by \`netmigrate init\` from project ${input.project.projectName}.`,
			'Review every line: tiers come from a catalog of well-known images (matched by repository),',
			"ports from the proxy's labels, port variables, healthchecks and the images' defaults;",
			"subnets were picked free of the engine's networks and the host's routes.",
			'`netmigrate plan` shows the dry run of each iteration.',
		],
		stackRoot: input.stackRoot,
		composeFiles: input.composeFiles,
		project: input.project.projectName,
		legacy: input.legacy,
		networks: tiering.tiers.map((tier) => {
			const network = picked.get(networkOf(tier)) as {subnet: string; internal: boolean; reused?: {project?: string}};
			const renamed = networkOf(tier) !== networkOfTier(tier) ? input.legacy : undefined;
			return {
				name: networkOf(tier),
				subnet: network.subnet,
				internal: network.internal,
				purpose: networkPurpose(tier, tiering, network.reused, renamed),
			};
		}),
		egressFalse: droppedEgress(tiering, iterations),
		accounting: account(tiering, input.legacy, networkOf),
		warnings: [...allow.warnings, ...egressWarnings(tiering), ...routeNotes(tiering)],
		iterations,
	};
	const document = input.target === 'swarm' ? forSwarm(drafted) : drafted;
	return {
		text: renderPlan(document),
		unclassified: [...tiering.placements.values()]
			.filter((placement) => placement.status === 'unclassified')
			.map((placement) => placement.service.name),
		networks: Object.fromEntries(
			document.networks.map((network) => [network.name, {subnet: network.subnet, internal: network.internal}]),
		),
		warnings: document.warnings,
	};
}

function optional(input: DraftInput) {
	return {
		...(input.images ? {images: input.images} : {}),
		...(input.rules ? {rules: input.rules} : {}),
		...(input.existingNetworks ? {existingNetworks: input.existingNetworks} : {}),
	};
}

/** Tier networks that exist already (`<tier>-net`, or `<legacy>-<tier>`): their `internal` flag is what it is. */
function fixedTiers(existing: NetworkFact[], legacy: string): Map<string, boolean> {
	const fixed = new Map<string, boolean>();
	for (const fact of existing) {
		if (fact.subnets.length === 0) continue;
		if (fact.name.endsWith('-net')) fixed.set(fact.name.slice(0, -'-net'.length), fact.internal);
		else if (fact.name.startsWith(`${legacy}-`)) fixed.set(fact.name.slice(legacy.length + 1), fact.internal);
	}
	return fixed;
}

function networkPurpose(tier: string, tiering: Tiering, reused?: {project?: string}, sortsAfter?: string): string {
	const parts = [builtinTiers[tier]?.purpose ?? 'your tier'];
	if (sortsAfter)
		parts.push(
			`named to sort after ${sortsAfter}, so joining it keeps each container's egress there (engines before 28 pick the first network by name)`,
		);
	const opened = tiering.opened.get(tier);
	if (opened) parts.push(`not internal: ${opened.join(', ')} ${opened.length === 1 ? 'needs' : 'need'} the internet`);
	if (reused) parts.push(`exists already${reused.project ? ` (project ${reused.project})` : ''}: reused as it is`);
	return parts.join('; ');
}

function egressWarnings(tiering: Tiering): string[] {
	return [...tiering.placements.values()]
		.filter(
			(placement) =>
				placement.status === 'assigned' &&
				placement.needsEgress &&
				!placement.egressBesideLegacy &&
				placement.tiers.length > 0 &&
				placement.tiers.every((tier) => tiering.internal.get(tier)),
		)
		.map(
			(placement) =>
				`${placement.service.name} needs the internet but every network drafted for it is internal: give it one with a way out before retire-legacy`,
		);
}

function routeNotes(tiering: Tiering): string[] {
	if (tiering.routes.length === 0 || tiering.routesFromLabels) return [];
	return [
		`no proxy labels found: ${tiering.proxies.join(', ')} is assumed to route ${tiering.routes.map((route) => route.service).join(', ')} (the catalog's web UIs) — adjust its networks to what it really serves`,
	];
}

export {draftPerAppPlan, type PerAppInput} from './perapp.js';
