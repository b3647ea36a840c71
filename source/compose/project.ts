/**
 * A compose project as files: the root file(s), every file they `include:`, the `.env`
 * used for interpolation, and which file defines each service. Every YAML file is kept
 * as a yaml Document so edits keep comments, key order, quoting and anchors.
 */
import {accessSync, constants, readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import {isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type YAMLMap, type YAMLSeq} from 'yaml';
import {NetmigrateError, type Where} from '../errors.js';
import {parseEnvFile, type EnvFile} from './envfile.js';
import {interpolate, interpolateDeep, InterpolationError, type Variables} from './interpolate.js';

export type ComposeFile = {
	path: string;
	text: string;
	document: Document;
	lines: LineCounter;
	mode: number;
	/** The file that included this one, for messages. */
	includedFrom?: string;
};

export type NetworkDeclaration = {key: string; name: string; external: boolean; subnets: string[]; raw: Record<string, unknown>};

export type EnvironmentEntry = {key: string; value: string | undefined; form: 'list' | 'map'};

export type ServiceModel = {
	name: string;
	file: string;
	/** The service's own mapping node in its file. */
	node: YAMLMap;
	/** The service after merge keys and interpolation, as compose sees it. */
	config: Record<string, unknown>;
	/** Engine names of the networks the service joins (compose keys resolved through `name:`). */
	networks: string[];
	/** Compose keys as written (`default` when the service has no `networks:`). */
	networkKeys: string[];
	/** `service:gluetun` → `gluetun`: the service whose network namespace this one shares. */
	namespaceOf?: string;
	/** `container:<name>`: a container (maybe of another project) whose namespace this one shares. */
	namespaceContainer?: string;
	networkModeOther?: string;
	environment: EnvironmentEntry[];
	envFiles: string[];
	image?: string;
	dependsOn: string[];
	labels: Record<string, string>;
};

export type ComposeModel = {
	root: string;
	rootFiles: string[];
	projectName: string;
	files: Map<string, ComposeFile>;
	env?: EnvFile;
	variables: Variables;
	services: Map<string, ServiceModel>;
	/** Per file: its top-level `networks:` declarations by compose key. */
	networks: Map<string, Map<string, NetworkDeclaration>>;
};

export type LoadOptions = {
	/** Variables of the shell netmigrate runs in; `.env` fills the ones not set there. */
	environment?: Variables;
	projectName?: string;
};

export function loadComposeProject(root: string, rootFiles: string[], options: LoadOptions = {}): ComposeModel {
	const absoluteRoot = path.resolve(root);
	const envPath = path.join(absoluteRoot, '.env');
	const env = readOptional(envPath, (text) => parseEnvFile(envPath, text));
	const variables: Variables = {};
	for (const entry of env?.entries.values() ?? []) variables[entry.key] = entry.value;
	Object.assign(variables, options.environment ?? {});

	const files = new Map<string, ComposeFile>();
	const order: string[] = [];
	const visit = (file: string, chain: string[], includedFrom?: {file: string; where: Where}) => {
		if (chain.includes(file)) {
			throw new NetmigrateError(`include cycle: ${[...chain, file].map((item) => path.relative(absoluteRoot, item)).join(' → ')}`, {
				where: includedFrom?.where,
				hint: 'remove the include that points back to a file already being included',
				code: 'bad-input',
			});
		}
		if (files.has(file)) return;
		const loaded = readComposeFile(file, includedFrom);
		files.set(file, loaded);
		order.push(file);
		for (const include of includesOf(loaded, variables)) {
			visit(include.file, [...chain, file], {file, where: include.where});
		}
	};
	for (const rootFile of rootFiles) visit(path.resolve(absoluteRoot, rootFile), []);

	const rootDocument = files.get(path.resolve(absoluteRoot, rootFiles[0] ?? 'docker-compose.yml'))?.document;
	const declaredName = rootDocument?.get('name');
	const projectName =
		options.projectName ?? (typeof declaredName === 'string' ? interpolate(declaredName, variables) : undefined) ?? normaliseProjectName(path.basename(absoluteRoot));

	const networks = new Map<string, Map<string, NetworkDeclaration>>();
	for (const file of order) networks.set(file, networkDeclarations(files.get(file) as ComposeFile, projectName, variables));

	const services = new Map<string, ServiceModel>();
	for (const file of order) {
		const compose = files.get(file) as ComposeFile;
		const servicesNode = compose.document.get('services', true);
		if (servicesNode === undefined || servicesNode === null) continue;
		if (!isMap(servicesNode)) throw badShape(compose, servicesNode as Node, '`services:` must be a mapping of service names');
		const resolved = (compose.document.toJS({maxAliasCount: -1}) as {services?: Record<string, unknown>}).services ?? {};
		for (const pair of servicesNode.items) {
			const name = String(isScalar(pair.key) ? pair.key.value : pair.key);
			if (!isMap(pair.value)) throw badShape(compose, (pair.value ?? pair.key) as Node, `service ${name} must be a mapping`);
			const existing = services.get(name);
			if (existing) {
				throw new NetmigrateError(`service ${name} is defined in both ${rel(absoluteRoot, existing.file)} and ${rel(absoluteRoot, file)}`, {
					where: whereOf(compose, pair.key as Node),
					hint: 'compose refuses duplicate services across included files; keep one definition',
					code: 'bad-input',
				});
			}
			services.set(name, serviceModel(name, compose, pair.value, resolved[name], networks.get(file) as Map<string, NetworkDeclaration>, projectName, variables));
		}
	}
	return {root: absoluteRoot, rootFiles, projectName, files, env, variables, services, networks};
}

function readComposeFile(file: string, includedFrom?: {file: string; where: Where}): ComposeFile {
	let text: string;
	let mode: number;
	try {
		text = readFileSync(file, 'utf8');
		mode = statSync(file).mode & 0o7777;
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		const where = includedFrom?.where ?? {file};
		if (code === 'ENOENT') {
			throw new NetmigrateError(`compose file ${file} does not exist`, {
				where,
				hint: includedFrom ? 'fix the include path (it is relative to the including file)' : 'check `stack.root` and `stack.files` in netmigrate.yml',
				code: 'bad-input',
			});
		}
		if (code === 'EACCES') {
			throw new NetmigrateError(`permission denied reading ${file}`, {where, hint: 'run netmigrate as the user that owns the stack (or root)', code: 'bad-input'});
		}
		throw new NetmigrateError(`cannot read ${file}: ${(error as Error).message}`, {where, hint: 'it must be a readable compose file; fix the path or the file', code: 'bad-input'});
	}
	const lines = new LineCounter();
	const document = parseDocument(text, {lineCounter: lines, merge: true, keepSourceTokens: false} as never);
	const problem = document.errors[0];
	if (problem) {
		const position = problem.linePos?.[0];
		throw new NetmigrateError(`invalid YAML: ${problem.message.split('\n')[0]}`, {
			where: {file, line: position?.line, column: position?.col},
			hint: 'fix the YAML syntax at that position (`docker compose config` shows the same error)',
			code: 'bad-input',
		});
	}
	return {path: file, text, document, lines, mode, includedFrom: includedFrom?.file};
}

function includesOf(compose: ComposeFile, variables: Variables): Array<{file: string; where: Where}> {
	const node = compose.document.get('include', true);
	if (node === undefined || node === null) return [];
	if (!isSeq(node)) throw badShape(compose, node as Node, '`include:` must be a list');
	const directory = path.dirname(compose.path);
	const found: Array<{file: string; where: Where}> = [];
	for (const item of node.items) {
		const where = whereOf(compose, item as Node);
		const paths: string[] = [];
		if (isScalar(item)) paths.push(String(item.value));
		else if (isMap(item)) {
			const value = item.get('path', true);
			if (isScalar(value)) paths.push(String(value.value));
			else if (isSeq(value)) for (const entry of (value as YAMLSeq).items) paths.push(String(isScalar(entry) ? entry.value : entry));
			else throw badShape(compose, item as Node, 'an include entry needs `path:`');
		} else throw badShape(compose, item as Node, 'an include entry is a path or a mapping with `path:`');
		for (const raw of paths) found.push({file: path.resolve(directory, interpolateAt(compose, item as Node, raw, variables)), where});
	}
	return found;
}

function networkDeclarations(compose: ComposeFile, project: string, variables: Variables): Map<string, NetworkDeclaration> {
	const declared = new Map<string, NetworkDeclaration>();
	const raw = (compose.document.toJS({maxAliasCount: -1}) as {networks?: Record<string, Record<string, unknown> | null>}).networks ?? {};
	for (const [key, value] of Object.entries(raw)) {
		const config = (interpolateDeep(value ?? {}, variables) ?? {}) as Record<string, unknown>;
		const externalValue = config.external;
		const external = externalValue === true || (typeof externalValue === 'object' && externalValue !== null);
		const externalName = typeof externalValue === 'object' && externalValue !== null ? (externalValue as {name?: string}).name : undefined;
		const name = (config.name as string | undefined) ?? externalName ?? (external ? key : `${project}_${key}`);
		const ipam = config.ipam as {config?: Array<{subnet?: string}>} | undefined;
		const subnets = (ipam?.config ?? []).map((entry) => entry.subnet).filter((subnet): subnet is string => typeof subnet === 'string');
		declared.set(key, {key, name, external, subnets, raw: config});
	}
	return declared;
}

function serviceModel(
	name: string,
	compose: ComposeFile,
	node: YAMLMap,
	rawConfig: unknown,
	declared: Map<string, NetworkDeclaration>,
	project: string,
	variables: Variables,
): ServiceModel {
	let config: Record<string, unknown>;
	try {
		config = interpolateDeep(rawConfig ?? {}, variables) as Record<string, unknown>;
	} catch (error) {
		if (error instanceof InterpolationError) {
			throw new NetmigrateError(`service ${name}: ${error.message}`, {where: whereOf(compose, node), hint: 'set the variable in .env or the environment', code: 'bad-input'});
		}
		throw error;
	}
	const networkMode = typeof config.network_mode === 'string' ? config.network_mode : undefined;
	const rawNetworks = config.networks;
	let networkKeys: string[] = [];
	if (Array.isArray(rawNetworks)) networkKeys = rawNetworks.map(String);
	else if (rawNetworks && typeof rawNetworks === 'object') networkKeys = Object.keys(rawNetworks);
	else if (!networkMode) networkKeys = ['default'];
	const networks = networkKeys.map((key) => declared.get(key)?.name ?? (key === 'default' ? `${project}_default` : key));

	const environment: EnvironmentEntry[] = [];
	const rawEnvironment = config.environment;
	if (Array.isArray(rawEnvironment)) {
		for (const item of rawEnvironment.map(String)) {
			const separator = item.indexOf('=');
			environment.push(separator < 0 ? {key: item, value: undefined, form: 'list'} : {key: item.slice(0, separator), value: item.slice(separator + 1), form: 'list'});
		}
	} else if (rawEnvironment && typeof rawEnvironment === 'object') {
		for (const [key, value] of Object.entries(rawEnvironment)) {
			environment.push({key, value: value === null || value === undefined ? undefined : String(value), form: 'map'});
		}
	}
	const envFileValue = config.env_file;
	const envFiles = (Array.isArray(envFileValue) ? envFileValue : envFileValue === undefined ? [] : [envFileValue]).map((entry) =>
		path.resolve(path.dirname(compose.path), typeof entry === 'string' ? entry : String((entry as {path?: string}).path)),
	);
	const dependsOnValue = config.depends_on;
	const dependsOn = Array.isArray(dependsOnValue) ? dependsOnValue.map(String) : dependsOnValue && typeof dependsOnValue === 'object' ? Object.keys(dependsOnValue) : [];
	const labelsValue = config.labels;
	const labels: Record<string, string> = {};
	if (Array.isArray(labelsValue)) {
		for (const item of labelsValue.map(String)) {
			const separator = item.indexOf('=');
			labels[separator < 0 ? item : item.slice(0, separator)] = separator < 0 ? '' : item.slice(separator + 1);
		}
	} else if (labelsValue && typeof labelsValue === 'object') {
		for (const [key, value] of Object.entries(labelsValue)) labels[key] = String(value);
	}

	const model: ServiceModel = {
		name,
		file: compose.path,
		node,
		config,
		networks,
		networkKeys,
		environment,
		envFiles,
		dependsOn,
		labels,
		...(typeof config.image === 'string' ? {image: config.image} : {}),
	};
	if (networkMode?.startsWith('service:')) model.namespaceOf = networkMode.slice('service:'.length);
	else if (networkMode?.startsWith('container:')) model.namespaceContainer = networkMode.slice('container:'.length);
	else if (networkMode) model.networkModeOther = networkMode;
	return model;
}

function interpolateAt(compose: ComposeFile, node: Node, text: string, variables: Variables): string {
	try {
		return interpolate(text, variables);
	} catch (error) {
		throw new NetmigrateError((error as Error).message, {where: whereOf(compose, node), hint: 'set the variable in .env or the environment', code: 'bad-input'});
	}
}

export function whereOf(compose: ComposeFile, node: Node | undefined | null): Where {
	const offset = node?.range?.[0];
	if (offset === undefined) return {file: compose.path};
	const position = compose.lines.linePos(offset);
	return {file: compose.path, line: position.line, column: position.col};
}

function badShape(compose: ComposeFile, node: Node, message: string): NetmigrateError {
	return new NetmigrateError(message, {where: whereOf(compose, node), hint: 'see the Compose file reference; `docker compose config` validates the file', code: 'bad-input'});
}

function readOptional<T>(file: string, parse: (text: string) => T): T | undefined {
	try {
		accessSync(file, constants.F_OK);
	} catch {
		return undefined;
	}
	try {
		return parse(readFileSync(file, 'utf8'));
	} catch (error) {
		throw new NetmigrateError(`cannot read ${file}: ${(error as Error).message}`, {where: {file}, hint: 'check its permissions', code: 'bad-input'});
	}
}

function rel(root: string, file: string): string {
	return path.relative(root, file) || file;
}

/** Compose's rule: lowercase, only [a-z0-9_-], starting with a letter or digit. */
export function normaliseProjectName(name: string): string {
	return name.toLowerCase().replace(/[^a-z0-9_-]/g, '').replace(/^[^a-z0-9]+/, '');
}

/** Services whose network namespace is `service` (e.g. qbittorrent for gluetun), in file order. */
export function namespaceDependents(model: ComposeModel, service: string): string[] {
	return [...model.services.values()].filter((candidate) => candidate.namespaceOf === service).map((candidate) => candidate.name);
}

/** The service that owns the namespace `service` lives in (itself when it has its own). */
export function namespaceOwner(model: ComposeModel, service: string): string {
	let current = model.services.get(service);
	const seen = new Set<string>();
	while (current?.namespaceOf && !seen.has(current.name)) {
		seen.add(current.name);
		current = model.services.get(current.namespaceOf) ?? current;
	}
	return current?.name ?? service;
}
