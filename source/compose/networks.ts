/**
 * A compose project's networks as its files declare them (top-level `networks:`): each file's
 * declarations, variables interpolated, with the engine name compose gives each (`name:`, an
 * external network's own name, else `<project>_<key>`), and the project's, every file's merged in
 * order, as compose merges files.
 */
import {maxAliasCount} from '../yaml-input.js';
import type {FileUnit} from './files.js';
import {interpolateDeep, type Variables} from './interpolate.js';
import {mergeServiceConfig} from './merge.js';
import type {ComposeFile, ComposeModel, NetworkDeclaration} from './model.js';

/** Each file's network declarations, and the project's: every file's merged in file order. */
export function projectNetworks(
	units: FileUnit[],
	projectName: string,
): {networks: ComposeModel['networks']; declaredNetworks: ComposeModel['declaredNetworks']} {
	const networks = new Map<string, Map<string, NetworkDeclaration>>();
	const declaredNetworks = new Map<string, NetworkDeclaration & {file: string}>();
	for (const unit of units) {
		for (const compose of unit.files) {
			const declarations = networkDeclarations(compose, projectName, unit.variables);
			networks.set(compose.path, declarations);
			// A later file's declaration merges into an earlier one's, key by key, as compose merges files.
			for (const [key, declaration] of declarations) {
				const earlier = declaredNetworks.get(key);
				const merged = earlier ? declarationOf(key, mergeServiceConfig(earlier.raw, declaration.raw), projectName) : declaration;
				declaredNetworks.set(key, {...merged, file: compose.path});
			}
		}
	}
	return {networks, declaredNetworks};
}

function networkDeclarations(compose: ComposeFile, project: string, variables: Variables): Map<string, NetworkDeclaration> {
	const declared = new Map<string, NetworkDeclaration>();
	const raw =
		(compose.document.toJS({maxAliasCount}) as {networks?: Record<string, Record<string, unknown> | null>} | null)?.networks ?? {};
	for (const [key, value] of Object.entries(raw))
		declared.set(key, declarationOf(key, (interpolateDeep(value ?? {}, variables) ?? {}) as Record<string, unknown>, project));
	return declared;
}

function declarationOf(key: string, config: Record<string, unknown>, project: string): NetworkDeclaration {
	const externalValue = config.external;
	const external = externalValue === true || (typeof externalValue === 'object' && externalValue !== null);
	const externalName = typeof externalValue === 'object' && externalValue !== null ? (externalValue as {name?: string}).name : undefined;
	const name = (config.name as string | undefined) ?? externalName ?? (external ? key : `${project}_${key}`);
	const ipam = config.ipam as {config?: Array<{subnet?: string}>} | undefined;
	const subnets = (ipam?.config ?? []).map((entry) => entry.subnet).filter((subnet): subnet is string => typeof subnet === 'string');
	return {key, name, external, subnets, raw: config};
}
