/**
 * Where `init` finds the stack to draft for: the folder and compose files given (`--stack`, `-f`),
 * else the current folder when compose would find a file in it, else the project the running
 * containers' compose labels name; a swarm stack's file by the names it usually has.
 */
import {existsSync} from 'node:fs';
import path from 'node:path';
import {composeFileNames} from '../compose/read.js';
import type {ContainerInfo} from '../domain.js';
import {NetmigrateError} from '../errors.js';

/** `--stack` and `-f` as given (the files relative to the stack folder). */
type StackOptions = {stack?: string; files: string[]};

/** The stack folder, its compose files (relative to it; none: compose's own choice) and the env files compose was given. */
export type LocatedStack = {root: string; files: string[]; envFiles?: string[]};

/** A swarm stack's file: -f, else compose's default names, else the usual stack file names. */
export function locateStackFile(options: StackOptions): LocatedStack {
	const root = path.resolve(options.stack ?? '.');
	if (options.files.length > 0 || composeFileNames.some((name) => existsSync(path.join(root, name)))) return {root, files: options.files};
	const found = ['docker-stack.yml', 'docker-stack.yaml', 'stack.yml', 'stack.yaml'].find((name) => existsSync(path.join(root, name)));
	if (!found)
		throw new NetmigrateError(`no stack file found in ${root}`, {
			code: 'bad-input',
			hint: 'pass the file given to `docker stack deploy -c` with -f <file>',
		});
	return {root, files: [found]};
}

/**
 * A compose stack's folder and files: --stack and -f; else this folder when compose would find a
 * file here; else the project the running containers' compose labels name, with its env files.
 */
export function locateStack(options: StackOptions, containers: ContainerInfo[]): LocatedStack {
	if (options.stack || options.files.length > 0) {
		const root = path.resolve(options.stack ?? '.');
		return {root, files: options.files};
	}
	const cwd = process.cwd();
	// The model finds the files as compose does (COMPOSE_FILE, else the default file and its override).
	if (process.env.COMPOSE_FILE || composeFileNames.some((name) => existsSync(path.join(cwd, name)))) return {root: cwd, files: []};
	// Not in a stack folder: take the compose project the running containers name.
	const labelled = containers.find((container) => container.labels['com.docker.compose.project.working_dir']);
	if (labelled) {
		const root = labelled.labels['com.docker.compose.project.working_dir'] as string;
		const files = (labelled.labels['com.docker.compose.project.config_files'] ?? '')
			.split(',')
			.filter(Boolean)
			.map((file) => path.relative(root, file));
		// Compose records the env files it was given (and `.env`) on every container it creates.
		const envFiles = (labelled.labels['com.docker.compose.project.environment_file'] ?? '')
			.split(',')
			.filter((file) => file && file !== path.join(root, '.env'));
		return {root, files, envFiles};
	}
	throw new NetmigrateError('no compose stack found here', {
		code: 'bad-input',
		hint: 'run `netmigrate init` in the stack folder, or pass --stack <folder> (and -f <file>)',
	});
}
