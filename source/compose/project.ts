/**
 * A compose project read the way `docker compose` reads it: the `-f` files merged in order
 * (or compose's default file and its override), their includes, `extends:`, the variables
 * from the shell and the env files, the project name, the active profiles — and, for each
 * service, which file writes what, so edits land where compose reads the value. Every YAML
 * file is kept as a yaml Document so edits keep comments, key order, quoting and anchors.
 */
import path from 'node:path';
import {NetmigrateError, type Problem} from '../errors.js';
import {composeFileVariable, profilesVariable, readProjectEnvironment, type ProjectEnvironment} from './environment.js';
import {applyExtends} from './extends.js';
import {readProjectFiles, type FileUnit, type ReadFiles} from './files.js';
import {interpolate, type Variables} from './interpolate.js';
import {mergeLayers, serviceLayers, type ServiceLayer} from './layers.js';
import type {ComposeFile, ComposeModel, FileTexts, LoadOptions, ProjectNameSource, ServiceModel} from './model.js';
import {projectNetworks} from './networks.js';
import {defaultComposeFiles} from './read.js';
import {serviceModel} from './service.js';
import {checkEnvFiles, composeRefuses, projectProblems} from './project-verdict.js';

export type {
	ComposeFile,
	ComposeModel,
	EnvironmentEntry,
	FileTexts,
	LoadOptions,
	NetworkDeclaration,
	Origin,
	ProjectNameSource,
	ServiceModel,
	ServiceOrigins,
} from './model.js';
export {whereOf} from './read.js';

/** `rootFiles` empty: COMPOSE_FILE, else compose's default file names (and the override file). */
export function loadComposeProject(root: string, rootFiles: string[], options: LoadOptions = {}): ComposeModel {
	const absoluteRoot = path.resolve(root);
	const texts = options.texts;
	const {composeFiles, projectDirectory, environment} = locateProject(absoluteRoot, rootFiles, options);
	const variables = environment.variables;

	const read = readProjectFiles(absoluteRoot, composeFiles, variables, texts);
	if (read.problems.length > 0) throw missingVariables(read.problems);
	const main = read.units.at(-1) as FileUnit;
	const {projectName, projectNameFrom} = nameProject(
		options.projectName,
		environment.projectNameFrom,
		variables,
		main.files,
		projectDirectory,
	);
	const profiles = options.profiles && options.profiles.length > 0 ? options.profiles : profilesVariable(variables);

	const {networks, declaredNetworks} = projectNetworks(read.units, projectName);
	const services = projectServices(read, texts, {root: absoluteRoot, projectName, profiles, declaredNetworks});
	resolveContainerNamespaces(services, projectName);
	const refused = projectProblems(services, declaredNetworks, read.files);
	if (refused.length > 0) throw composeRefuses('the compose project', refused);
	checkEnvFiles(services);
	const unlistedOverride = rootFiles.length > 0 ? unlistedOverrideOf(absoluteRoot, composeFiles) : undefined;
	return {
		root: absoluteRoot,
		rootFiles: composeFiles.map((file) => rel(absoluteRoot, file)),
		composeFiles,
		...(unlistedOverride ? {unlistedOverride} : {}),
		projectName,
		projectNameFrom,
		projectDirectory,
		files: read.files,
		...(environment.files[0] ? {env: environment.files[0]} : {}),
		envFiles: environment.files,
		profiles,
		variables,
		services,
		networks,
		declaredNetworks,
		warnings: read.warnings,
		loadedWith: {root, rootFiles, options},
	};
}

/**
 * The files compose reads (`rootFiles`, else COMPOSE_FILE, else its default names), the project
 * folder (the first file's), and the variables: the environment is read in the stack folder to
 * find COMPOSE_FILE, then again in the project folder when that is another, as compose does.
 */
function locateProject(
	absoluteRoot: string,
	rootFiles: string[],
	options: LoadOptions,
): {composeFiles: string[]; projectDirectory: string; environment: ProjectEnvironment} {
	const shell = options.environment ?? {};
	const envFiles = (options.envFiles ?? []).map((file) => path.resolve(absoluteRoot, file));
	let environment = readProjectEnvironment(absoluteRoot, shell, envFiles, options.texts);
	let given = rootFiles;
	if (given.length === 0) given = composeFileVariable(environment.variables);
	if (given.length === 0) given = defaultComposeFiles(absoluteRoot);
	const composeFiles = given.map((file) => path.resolve(absoluteRoot, file));
	const projectDirectory = path.dirname(composeFiles[0] as string);
	if (projectDirectory !== absoluteRoot) environment = readProjectEnvironment(projectDirectory, shell, envFiles, options.texts);
	return {composeFiles, projectDirectory, environment};
}

/** Every unit's services, modelled; a service defined in two included files is refused, as compose does. */
function projectServices(
	read: ReadFiles,
	texts: FileTexts | undefined,
	project: {root: string; projectName: string; profiles: string[]; declaredNetworks: ComposeModel['declaredNetworks']},
): Map<string, ServiceModel> {
	const services = new Map<string, ServiceModel>();
	for (const unit of read.units) {
		for (const merged of unitServices(unit, read.files, texts).values()) {
			const existing = services.get(merged.name);
			if (existing) {
				throw new NetmigrateError(
					`service ${merged.name} is defined in both ${rel(project.root, existing.file)} and ${rel(project.root, merged.home.compose.path)}`,
					{
						where: {file: merged.home.compose.path},
						hint: 'compose refuses duplicate services across included files; keep one definition',
						code: 'bad-input',
					},
				);
			}
			services.set(
				merged.name,
				serviceModel(merged, project.declaredNetworks, project.projectName, project.profiles, unit.variables),
			);
		}
	}
	return services;
}

/**
 * The same project read again, the same way, with `texts` standing in for some of its files
 * (absolute paths): what compose would read once those texts were written. Nothing is written.
 */
export function reloadComposeProject(model: ComposeModel, texts: FileTexts): ComposeModel {
	const {root, rootFiles, options} = model.loadedWith;
	return loadComposeProject(root, rootFiles, {...options, texts: new Map([...(options.texts ?? []), ...texts])});
}

function unlistedOverrideOf(root: string, composeFiles: string[]): string | undefined {
	let defaults: string[];
	try {
		defaults = defaultComposeFiles(root).map((file) => path.join(root, file));
	} catch {
		return undefined;
	}
	const [main, override] = defaults;
	return main && override && composeFiles.includes(main) && !composeFiles.includes(override) ? override : undefined;
}

/** A unit's services: each one's definitions in its files merged in order, then `extends:` applied. */
function unitServices(unit: FileUnit, files: Map<string, ComposeFile>, texts: FileTexts | undefined) {
	const layers = new Map<string, ServiceLayer[]>();
	for (const compose of unit.files) {
		for (const layer of serviceLayers(compose, unit.variables, unit.directory))
			layers.set(layer.name, [...(layers.get(layer.name) ?? []), layer]);
	}
	return applyExtends(new Map([...layers].map(([name, list]) => [name, mergeLayers(list)])), unit.variables, files, texts);
}

function missingVariables(problems: Problem[]): NetmigrateError {
	const names = [...new Set(problems.map((problem) => /variable (\S+)/.exec(problem.message)?.[1] ?? problem.message))];
	const message = problems.length === 1 ? (problems[0] as Problem).message : `required variables are missing: ${names.join(', ')}`;
	return new NetmigrateError(message, {
		problems,
		where: problems[0]?.where,
		hint: 'set them in the shell, in .env, or in the --env-file the stack uses',
		code: 'bad-input',
	});
}

/** Compose's order: `-p`, COMPOSE_PROJECT_NAME (shell, then env file), the last top-level `name:`, the folder. */
function nameProject(
	option: string | undefined,
	fromEnvironment: 'environment' | 'env-file' | undefined,
	variables: Variables,
	files: ComposeFile[],
	directory: string,
): {projectName: string; projectNameFrom: ProjectNameSource} {
	const check = (name: string, source: ProjectNameSource) => {
		if (!/^[a-z0-9][a-z0-9_-]*$/.test(name)) {
			const from = {
				option: '-p',
				environment: '-p or COMPOSE_PROJECT_NAME in the shell',
				'env-file': 'COMPOSE_PROJECT_NAME in the env file',
				name: 'the top-level `name:`',
				folder: 'the folder',
			}[source];
			throw new NetmigrateError(`invalid project name "${name}" (from ${from})`, {
				hint: 'a compose project name is lowercase letters, digits, - and _, starting with a letter or digit',
				code: 'bad-input',
			});
		}
		return {projectName: name, projectNameFrom: source};
	};
	if (option) return check(option, 'option');
	if (fromEnvironment && variables.COMPOSE_PROJECT_NAME) return check(variables.COMPOSE_PROJECT_NAME, fromEnvironment);
	const declared = files
		.map((compose) => compose.document.get('name'))
		.filter((name): name is string => typeof name === 'string')
		.at(-1);
	if (declared !== undefined) return check(interpolate(declared, variables), 'name');
	return {projectName: normaliseProjectName(path.basename(directory)), projectNameFrom: 'folder'};
}

/**
 * `network_mode: container:<name>` naming one of this project's containers (its
 * `container_name`, or compose's `<project>-<service>-1`) follows that service, as
 * `service:<name>` does; a name of no container here is a container of another project
 * (or none), marked `namespaceOutside`.
 */
function resolveContainerNamespaces(services: Map<string, ServiceModel>, project: string): void {
	const byContainer = new Map<string, string>();
	for (const service of services.values()) {
		const name = typeof service.config.container_name === 'string' ? service.config.container_name : undefined;
		if (name) byContainer.set(name, service.name);
		byContainer.set(`${project}-${service.name}-1`, service.name);
		byContainer.set(`${project}_${service.name}_1`, service.name);
	}
	for (const service of services.values()) {
		if (!service.namespaceContainer) continue;
		const owner = byContainer.get(service.namespaceContainer);
		if (owner) service.namespaceOf = owner;
		else service.namespaceOutside = true;
	}
}

function rel(root: string, file: string): string {
	return path.relative(root, file) || file;
}

/** Compose's rule: lowercase, only [a-z0-9_-], starting with a letter or digit. */
export function normaliseProjectName(name: string): string {
	return name
		.toLowerCase()
		.replace(/[^a-z0-9_-]/g, '')
		.replace(/^[^a-z0-9]+/, '');
}

/** Services whose network namespace is `service` (e.g. qbittorrent for gluetun, by `service:` or `container:`), in file order. */
export function namespaceDependents(model: ComposeModel, service: string): string[] {
	return [...model.services.values()].filter((candidate) => candidate.namespaceOf === service).map((candidate) => candidate.name);
}

/** The service that owns the namespace `service` lives in (itself when it has its own, or when the owner is outside the project). */
export function namespaceOwner(model: ComposeModel, service: string): string {
	let current = model.services.get(service);
	const seen = new Set<string>();
	while (current?.namespaceOf && !seen.has(current.name)) {
		seen.add(current.name);
		current = model.services.get(current.namespaceOf) ?? current;
	}
	return current?.name ?? service;
}

/** Where `service`'s network namespace lives: a service of this project, or a container outside it. */
export function namespaceOwnerOf(model: ComposeModel, service: string): {service: string} | {container: string} {
	const owner = model.services.get(namespaceOwner(model, service));
	if (owner?.namespaceOutside && owner.namespaceContainer) return {container: owner.namespaceContainer};
	return {service: owner?.name ?? service};
}
