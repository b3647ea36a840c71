/** Options every command shares, and how they resolve (plan file, engine host). */
import path from 'node:path';

export type CommonOptions = {
	plan: string;
	host: string;
	json: boolean;
	yes: boolean;
	iteration?: number;
	mode?: 'live' | 'recreate';
};

export const defaultHost = 'unix:///var/run/docker.sock';

/** `--host`, else DOCKER_HOST, else the default socket. */
export function resolveHost(given: string | undefined): string {
	return given ?? process.env.DOCKER_HOST ?? defaultHost;
}

export function resolvePlan(given: string | undefined): string {
	return path.resolve(given ?? 'netmigrate.yml');
}
