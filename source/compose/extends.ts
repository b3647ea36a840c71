/**
 * `extends:` as compose computes it: the base service (in the same project, or in the
 * `file:` named, relative to the file that names it) is merged under the service with the
 * usual merge rules. Origins from the base are marked `via: 'extends'`: a value only the
 * base writes is shared with every service that extends it, so it is not edited in place.
 */
import path from 'node:path';
import type {Node} from 'yaml';
import {NetmigrateError, type Problem} from '../errors.js';
import {requiredVariableProblems} from './environment.js';
import type {Variables} from './interpolate.js';
import {mergeLayers, serviceLayers, type MergedService} from './layers.js';
import {mergeOrigins, mergeServiceConfig} from './merge.js';
import type {ComposeFile, FileTexts, Origin, ServiceOrigins} from './model.js';
import {readComposeFile, whereOf} from './read.js';

export type ExtendedService = MergedService & {extends?: {service: string; file: string}};

type Reader = (file: string, from: ComposeFile, node: Node) => ComposeFile;

export function applyExtends(
	services: Map<string, MergedService>,
	variables: Variables,
	files: Map<string, ComposeFile>,
	texts?: FileTexts,
): Map<string, ExtendedService> {
	const read: Reader = (file, from, node) => {
		const known = files.get(file);
		if (known) return known;
		const loaded = readComposeFile(file, {file: from.path, where: whereOf(from, node)}, texts);
		const problems = requiredVariableProblems(loaded, variables);
		if (problems.length > 0) {
			throw new NetmigrateError((problems[0] as Problem).message, {
				problems,
				where: problems[0]?.where,
				hint: 'set them in the shell, in .env, or in the --env-file the stack uses',
				code: 'bad-input',
			});
		}
		files.set(file, loaded);
		return loaded;
	};
	const resolved = new Map<string, ExtendedService>();
	for (const name of services.keys()) resolved.set(name, extendedService(name, services, variables, read, new Map(), []));
	return resolved;
}

function extendedService(
	name: string,
	scope: Map<string, MergedService>,
	variables: Variables,
	read: Reader,
	done: Map<string, ExtendedService>,
	chain: string[],
): ExtendedService {
	const known = done.get(name);
	if (known) return known;
	const service = scope.get(name) as MergedService;
	const declaring = [...service.layers].reverse().find((layer) => layer.config.extends !== undefined);
	if (!declaring) return service;
	const spec = declaring.config.extends;
	const baseName = typeof spec === 'string' ? spec : String((spec as {service?: unknown}).service ?? '');
	const baseFile =
		typeof spec === 'object' && spec !== null && typeof (spec as {file?: unknown}).file === 'string'
			? (spec as {file: string}).file
			: undefined;
	const where = whereOf(declaring.compose, declaring.node);
	const key = `${baseFile ? path.resolve(path.dirname(declaring.compose.path), baseFile) : declaring.compose.path}#${baseName}`;
	if (chain.includes(key)) {
		throw new NetmigrateError(`extends cycle: ${[...chain, key].join(' → ')}`, {
			where,
			hint: 'a service cannot extend itself through other services',
			code: 'bad-input',
		});
	}
	let base: ExtendedService | undefined;
	let baseScope = scope;
	let baseDone = done;
	if (baseFile) {
		const file = read(path.resolve(path.dirname(declaring.compose.path), baseFile), declaring.compose, declaring.node);
		baseScope = new Map(serviceLayers(file, variables).map((layer) => [layer.name, mergeLayers([layer])]));
		baseDone = new Map();
	}
	if (baseScope.has(baseName)) base = extendedService(baseName, baseScope, variables, read, baseDone, [...chain, key]);
	if (!base) {
		throw new NetmigrateError(`service ${name} extends ${baseName}, which is not defined${baseFile ? ` in ${baseFile}` : ''}`, {
			where,
			hint: 'fix `extends:` (service name and `file:`, relative to this file)',
			code: 'bad-input',
		});
	}
	const {extends: _unused, ...own} = service.config;
	const {extends: _baseUnused, ...inherited} = base.config;
	const baseOrigins = viaExtends(base.origins);
	const home = service.layers.some((layer) => layer.origins.networks !== undefined)
		? service.home
		: (service.layers[0] as MergedService['home']);
	const result: ExtendedService = {
		name,
		config: mergeServiceConfig(inherited, own),
		origins: {...mergeOrigins(baseOrigins, service.origins), layers: [...baseOrigins.layers, ...service.origins.layers]},
		home,
		layers: service.layers,
		extends: {
			service: baseName,
			file: baseFile ? path.resolve(path.dirname(declaring.compose.path), baseFile) : declaring.compose.path,
		},
	};
	done.set(name, result);
	return result;
}

function viaExtends(origins: ServiceOrigins): ServiceOrigins {
	const mark = <T extends Origin>(origin: T): T => ({...origin, via: 'extends'});
	return {
		layers: origins.layers.map(mark),
		networkEntries: Object.fromEntries(Object.entries(origins.networkEntries).map(([key, list]) => [key, list.map(mark)])),
		environment: Object.fromEntries(Object.entries(origins.environment).map(([key, origin]) => [key, mark(origin)])),
		ports: origins.ports.map(mark),
		...(origins.networks ? {networks: mark(origins.networks)} : {}),
	};
}
