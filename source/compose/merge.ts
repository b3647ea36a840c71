/**
 * Compose's merge rules, for `-f` files over one another and a service over the base it
 * `extends:`: mappings merge key by key; `environment`, `labels` and the like merge by
 * variable (list and map forms alike, the later value wins); `networks` merge by network;
 * `ports` and other lists append without duplicates; `command`, `entrypoint`, `profiles`
 * and a healthcheck's `test` are replaced whole. Origins follow the same rules, so each
 * value's origin is the file compose took it from.
 */
import type {ServiceOrigins} from './model.js';

type Config = Record<string, unknown>;

const replacedWhole = new Set(['command', 'entrypoint', 'profiles', 'network_mode', 'image', 'container_name']);
const mergedByKey = new Set(['environment', 'labels', 'sysctls', 'annotations', 'extra_hosts', 'networks', 'depends_on']);

export function mergeServiceConfig(base: Config, over: Config): Config {
	const merged: Config = {...base};
	for (const [key, value] of Object.entries(over)) {
		const previous = merged[key];
		if (previous === undefined || previous === null || value === null || replacedWhole.has(key)) merged[key] = value;
		else if (mergedByKey.has(key)) merged[key] = mergeMaps(keyedMap(key, previous), keyedMap(key, value));
		else if (key === 'healthcheck' && isPlainObject(previous) && isPlainObject(value)) merged[key] = {...previous, ...value};
		else merged[key] = mergeValues(previous, value);
	}
	return merged;
}

function mergeValues(base: unknown, over: unknown): unknown {
	if (Array.isArray(base) && Array.isArray(over)) {
		const seen = new Set(base.map((item) => JSON.stringify(item)));
		return [...base, ...over.filter((item) => !seen.has(JSON.stringify(item)))];
	}
	if (isPlainObject(base) && isPlainObject(over)) return mergeMaps(base, over);
	return over;
}

function mergeMaps(base: Config, over: Config): Config {
	const merged: Config = {...base};
	for (const [key, value] of Object.entries(over)) {
		merged[key] =
			merged[key] === undefined || merged[key] === null || value === null
				? (value ?? merged[key] ?? null)
				: mergeValues(merged[key], value);
	}
	return merged;
}

/** The list form of `environment`, `labels`, `networks`… as the map compose turns it into. */
export function keyedMap(key: string, value: unknown): Config {
	if (isPlainObject(value)) return value;
	if (!Array.isArray(value)) return {};
	const map: Config = {};
	for (const item of value.map(String)) {
		if (key === 'networks' || key === 'depends_on') {
			map[item] = null;
			continue;
		}
		const separator = key === 'extra_hosts' ? item.search(/[=:]/) : item.indexOf('=');
		if (separator < 0) map[item] = null;
		else map[item.slice(0, separator)] = item.slice(separator + 1);
	}
	return map;
}

export function mergeOrigins(base: ServiceOrigins, over: ServiceOrigins): ServiceOrigins {
	const networkEntries: Record<string, ServiceOrigins['networkEntries'][string]> = {...base.networkEntries};
	for (const [key, origins] of Object.entries(over.networkEntries)) networkEntries[key] = [...(networkEntries[key] ?? []), ...origins];
	const seenPorts = new Set(base.ports.map((origin) => origin.entry));
	const networks = over.networks ?? base.networks;
	return {
		layers: [...base.layers, ...over.layers],
		networkEntries,
		environment: {...base.environment, ...over.environment},
		ports: [...base.ports, ...over.ports.filter((origin) => !seenPorts.has(origin.entry))],
		...(networks ? {networks} : {}),
	};
}

function isPlainObject(value: unknown): value is Config {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
