/** Options every command shares, and how they resolve (plan file, engine host). */
import path from 'node:path';
import {NetmigrateError} from '../errors.js';
import type {LoadedPlan} from '../plan/load.js';
import type {StackStatus} from '../run.js';

export type CommonOptions = {
	plan: string;
	host: string;
	json: boolean;
	yes: boolean;
	iteration?: number;
	mode?: 'live' | 'recreate';
};

export {defaultHost} from '../engine/endpoint.js';

/** `--host`, else DOCKER_HOST, else the default socket. */
export {checkHost, resolveHost} from '../engine/endpoint.js';

export function resolvePlan(given: string | undefined): string {
	return path.resolve(given ?? 'netmigrate.yml');
}

export type ComposeSettings = {
	projectName?: string;
	/** Absolute paths, in order. */
	envFiles: string[];
	profiles: string[];
	/** The same settings as the variables compose reads (COMPOSE_PROJECT_NAME, COMPOSE_ENV_FILES, COMPOSE_PROFILES). */
	environment: Record<string, string>;
};

/**
 * `-p`, `--env-file` and `--profile` as compose takes them. Every command reads the stack
 * through the environment, exactly as compose would with these flags: `-p` wins over a
 * COMPOSE_PROJECT_NAME in the shell or `.env`, given env files replace `.env`, given profiles
 * replace COMPOSE_PROFILES — and a compose process started from here inherits them.
 */
export function composeSettings(given: {projectName?: string; envFiles: string[]; profiles: string[]}): ComposeSettings {
	const envFiles = given.envFiles.map((file) => path.resolve(file));
	const profiles = given.profiles
		.flatMap((profile) => profile.split(','))
		.map((profile) => profile.trim())
		.filter(Boolean);
	const environment: Record<string, string> = {};
	if (given.projectName) environment.COMPOSE_PROJECT_NAME = given.projectName;
	if (envFiles.length > 0) environment.COMPOSE_ENV_FILES = envFiles.join(',');
	if (profiles.length > 0) environment.COMPOSE_PROFILES = profiles.join(',');
	return {...(given.projectName ? {projectName: given.projectName} : {}), envFiles, profiles, environment};
}

/** `--iteration N` (1-based) as an index, else the iteration `apply` would run next, else the last. */
export function iterationIndex(loaded: LoadedPlan, status: StackStatus, iteration: number | undefined): number {
	const next = status.iterations.findIndex((item) => item.status !== 'done');
	const index = iteration !== undefined ? iteration - 1 : next >= 0 ? next : loaded.plan.iterations.length - 1;
	if (!loaded.plan.iterations[index]) {
		throw new NetmigrateError(`the plan has ${loaded.plan.iterations.length} iterations; there is no iteration ${index + 1}`, {
			code: 'bad-input',
			hint: `pass --iteration between 1 and ${loaded.plan.iterations.length}`,
		});
	}
	return index;
}
