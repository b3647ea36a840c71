/**
 * A service as the rest of netmigrate sees it: networks by engine name, environment entries,
 * env files, labels, the namespace it shares, whether its profile is active — from the merged
 * config — plus where each part is written.
 */
import path from 'node:path';
import type {ExtendedService} from './extends.js';
import type {EnvironmentEntry, NetworkDeclaration, ServiceModel} from './model.js';

export function serviceModel(
	merged: ExtendedService,
	declared: Map<string, NetworkDeclaration>,
	project: string,
	activeProfiles: string[],
	variables: Record<string, string | undefined> = {},
): ServiceModel {
	const config = merged.config;
	const networkMode = typeof config.network_mode === 'string' ? config.network_mode : undefined;
	const rawNetworks = config.networks;
	let networkKeys: string[] = [];
	if (Array.isArray(rawNetworks)) networkKeys = rawNetworks.map(String);
	else if (rawNetworks && typeof rawNetworks === 'object') networkKeys = Object.keys(rawNetworks);
	else if (!networkMode) networkKeys = ['default'];
	const networks = networkKeys.map((key) => declared.get(key)?.name ?? (key === 'default' ? `${project}_default` : key));
	const profiles = Array.isArray(config.profiles) ? config.profiles.map(String) : [];
	const envFileValue = config.env_file;
	const envFiles = (Array.isArray(envFileValue) ? envFileValue : envFileValue === undefined ? [] : [envFileValue]).map((entry) =>
		path.resolve(path.dirname(merged.home.compose.path), typeof entry === 'string' ? entry : String((entry as {path?: string}).path)),
	);
	const dependsOnValue = config.depends_on;
	const dependsOn = Array.isArray(dependsOnValue)
		? dependsOnValue.map(String)
		: dependsOnValue && typeof dependsOnValue === 'object'
			? Object.keys(dependsOnValue)
			: [];

	const model: ServiceModel = {
		name: merged.name,
		file: merged.home.compose.path,
		node: merged.home.node,
		config,
		networks,
		networkKeys,
		environment: environmentEntries(config.environment, variables),
		envFiles,
		dependsOn,
		labels: labelsOf(config.labels),
		origins: merged.origins,
		profiles,
		active: profiles.length === 0 || activeProfiles.includes('*') || profiles.some((profile) => activeProfiles.includes(profile)),
		...(typeof config.image === 'string' ? {image: config.image} : {}),
		...(merged.extends ? {extends: merged.extends} : {}),
	};
	if (networkMode?.startsWith('service:')) model.namespaceOf = networkMode.slice('service:'.length);
	else if (networkMode?.startsWith('container:')) model.namespaceContainer = networkMode.slice('container:'.length);
	else if (networkMode) model.networkModeOther = networkMode;
	const inherited = Object.entries(merged.origins.networkEntries).filter(([, origins]) =>
		origins.every((origin) => origin.via === 'extends'),
	);
	if (merged.extends && inherited.length > 0) {
		model.notEditable = {
			reason: `networks ${inherited.map(([key]) => key).join(', ')} of ${merged.name} come from ${merged.extends.service} (extends: in ${merged.extends.file}); compose merges them in, so they cannot be removed from ${merged.name}`,
			hint: `adding networks on ${merged.name} works; to remove an inherited one, edit ${merged.extends.service} (shared by every service extending it) or stop extending it`,
		};
	}
	return model;
}

/**
 * A bare entry (`- FOO`, or `FOO:` with no value) takes its value from the project's environment
 * (the shell, then `.env`), as compose fills it; with neither, compose leaves it out of the
 * container, and the entry stays without a value.
 */
function environmentEntries(rawEnvironment: unknown, variables: Record<string, string | undefined>): EnvironmentEntry[] {
	const environment: EnvironmentEntry[] = [];
	if (Array.isArray(rawEnvironment)) {
		for (const item of rawEnvironment.map(String)) {
			const separator = item.indexOf('=');
			environment.push(
				separator < 0
					? {key: item, value: variables[item], form: 'list'}
					: {key: item.slice(0, separator), value: item.slice(separator + 1), form: 'list'},
			);
		}
	} else if (rawEnvironment && typeof rawEnvironment === 'object') {
		for (const [key, value] of Object.entries(rawEnvironment)) {
			environment.push({key, value: value === null || value === undefined ? variables[key] : String(value), form: 'map'});
		}
	}
	return environment;
}

function labelsOf(labelsValue: unknown): Record<string, string> {
	const labels: Record<string, string> = {};
	if (Array.isArray(labelsValue)) {
		for (const item of labelsValue.map(String)) {
			const separator = item.indexOf('=');
			labels[separator < 0 ? item : item.slice(0, separator)] = separator < 0 ? '' : item.slice(separator + 1);
		}
	} else if (labelsValue && typeof labelsValue === 'object') {
		for (const [key, value] of Object.entries(labelsValue)) labels[key] = String(value);
	}
	return labels;
}
