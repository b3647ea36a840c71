/**
 * One definition of a service in one file — a "layer" — with where each of its networks,
 * variables and ports is written (following anchors and `<<` merge keys to the text that
 * holds them). Compose merges a service's layers in order; so does `mergeLayers`.
 */
import {maxAliasCount} from '../yaml-input.js';
import path from 'node:path';
import {isAlias, isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap} from 'yaml';
import {interpolateDeep, type Variables} from './interpolate.js';
import {keyedMap, mergeOrigins, mergeServiceConfig} from './merge.js';
import type {ComposeFile, ServiceOrigins} from './model.js';
import {badShape, originOf} from './read.js';

export type ServiceLayer = {
	name: string;
	compose: ComposeFile;
	node: YAMLMap;
	config: Record<string, unknown>;
	origins: ServiceOrigins;
};

/** The merged service: its config and origins, and the layer an edit of its networks lands in. */
export type MergedService = {
	name: string;
	config: Record<string, unknown>;
	origins: ServiceOrigins;
	home: ServiceLayer;
	layers: ServiceLayer[];
};

/**
 * Every service defined in `compose`, interpolated with `variables`. `directory`: what relative
 * paths are relative to — compose's project directory (the first file's folder, or an include's
 * `project_directory`) for every file of a project; a base file's own folder for `extends: file:`.
 */
export function serviceLayers(compose: ComposeFile, variables: Variables, directory = path.dirname(compose.path)): ServiceLayer[] {
	const servicesNode = compose.document.get('services', true);
	if (servicesNode === undefined || servicesNode === null) return [];
	if (!isMap(servicesNode)) throw badShape(compose, servicesNode as Node, '`services:` must be a mapping of service names');
	return servicesNode.items.map((pair) => {
		const name = String(isScalar(pair.key) ? pair.key.value : pair.key);
		const node = resolve(compose, pair.value as Node);
		if (!isMap(node)) throw badShape(compose, (pair.value ?? pair.key) as Node, `service ${name} must be a mapping`);
		return serviceLayer(name, compose, node, variables, directory);
	});
}

export function serviceLayer(name: string, compose: ComposeFile, node: YAMLMap, variables: Variables, directory: string): ServiceLayer {
	const config = interpolateDeep(node.toJS(compose.document, {maxAliasCount}) ?? {}, variables) as Record<string, unknown>;
	// Relative env_file paths are resolved now: after merging, the file that named them is lost.
	if (config.env_file !== undefined) {
		const entries = Array.isArray(config.env_file) ? config.env_file : [config.env_file];
		config.env_file = entries.map((entry) => {
			const file = typeof entry === 'string' ? entry : String((entry as {path?: string}).path);
			return path.resolve(directory, file);
		});
	}
	return {name, compose, node, config, origins: layerOrigins(compose, node, config)};
}

export function mergeLayers(layers: ServiceLayer[]): MergedService {
	const [first, ...rest] = layers as [ServiceLayer, ...ServiceLayer[]];
	let config = first.config;
	let origins = first.origins;
	for (const layer of rest) {
		config = mergeServiceConfig(config, layer.config);
		origins = mergeOrigins(origins, layer.origins);
	}
	const home = [...layers].reverse().find((layer) => layer.origins.networks !== undefined) ?? first;
	return {name: first.name, config, origins, home, layers};
}

function layerOrigins(compose: ComposeFile, node: YAMLMap, config: Record<string, unknown>): ServiceOrigins {
	const origins: ServiceOrigins = {layers: [originOf(compose, node)], networkEntries: {}, environment: {}, ports: []};
	const networksPair = findPair(compose, node, 'networks');
	if (networksPair) {
		origins.networks = originOf(compose, networksPair.key as Node);
		for (const [key, entry] of entriesOf(compose, networksPair.value as Node, 'networks'))
			origins.networkEntries[key] = [originOf(compose, entry)];
	}
	const environmentPair = findPair(compose, node, 'environment');
	if (environmentPair) {
		for (const [key, entry] of entriesOf(compose, environmentPair.value as Node, 'environment'))
			origins.environment[key] = originOf(compose, entry);
	}
	const portsNode = resolve(compose, findPair(compose, node, 'ports')?.value as Node | undefined);
	if (isSeq(portsNode)) {
		const ports = Array.isArray(config.ports) ? config.ports : [];
		portsNode.items.forEach((item, index) =>
			origins.ports.push({...originOf(compose, item as Node), entry: JSON.stringify(ports[index])}),
		);
	}
	return origins;
}

/** `[key, node where it is written]` for each entry of a list (`KEY=value`, `- net`) or map, through merge keys. */
function entriesOf(compose: ComposeFile, value: Node | undefined, kind: string): Array<[string, Node]> {
	const node = resolve(compose, value);
	if (isSeq(node)) {
		return node.items.map((item) => {
			const text = String(isScalar(item) ? item.value : '');
			return [Object.keys(keyedMap(kind, [text]))[0] ?? text, item as Node];
		});
	}
	if (!isMap(node)) return [];
	const entries = new Map<string, Node>();
	for (const pair of node.items) {
		if (isMergeKey(pair)) {
			for (const source of mergeSources(compose, pair))
				for (const [key, entry] of entriesOf(compose, source, kind)) if (!entries.has(key)) entries.set(key, entry);
		}
	}
	for (const pair of node.items)
		if (!isMergeKey(pair)) entries.set(String(isScalar(pair.key) ? pair.key.value : pair.key), pair.key as Node);
	return [...entries];
}

/** The pair for `key` in a map, or in the maps its `<<` merge keys bring in (own keys first, as YAML merges). */
function findPair(compose: ComposeFile, map: YAMLMap, key: string): Pair | undefined {
	const own = map.items.find((pair) => !isMergeKey(pair) && String(isScalar(pair.key) ? pair.key.value : pair.key) === key);
	if (own) return own as Pair;
	for (const pair of map.items.filter(isMergeKey)) {
		for (const source of mergeSources(compose, pair as Pair)) {
			const found = isMap(source) ? findPair(compose, source, key) : undefined;
			if (found) return found;
		}
	}
	return undefined;
}

function mergeSources(compose: ComposeFile, pair: Pair): Node[] {
	const value = pair.value as Node;
	const items = isSeq(value) ? (value.items as Node[]) : [value];
	return items.map((item) => resolve(compose, item)).filter((item): item is Node => item !== undefined);
}

function isMergeKey(pair: Pair): boolean {
	return isScalar(pair.key) && (typeof pair.key.value === 'symbol' || pair.key.value === '<<');
}

function resolve(compose: ComposeFile, node: Node | undefined | null): Node | undefined {
	if (isAlias(node)) return (node.resolve(compose.document) ?? undefined) as Node | undefined;
	return node ?? undefined;
}
