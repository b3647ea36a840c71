/**
 * Docker Compose through the docker CLI plugin, with argument arrays only (execa, no shell).
 * The engine is always named explicitly: DOCKER_* variables of the caller are dropped so a
 * stray DOCKER_CONTEXT can never point a run at another daemon.
 */
import {execa, type ResultPromise} from 'execa';

export type ComposeProject = {
	/** `unix:///…/docker.sock` or `tcp://…` of the engine the stack runs on. */
	host: string;
	/** Folder compose resolves relative paths and `.env` from. */
	directory: string;
	/** Compose files, relative to `directory` or absolute. */
	files: string[];
	/** Project name; omitted, compose takes the root file's `name:` or the folder name. */
	name?: string;
};

export function dockerCli(): string {
	return process.env.NETMIGRATE_DOCKER_CLI ?? 'docker';
}

export function engineEnv(host: string): Record<string, string> {
	const env: Record<string, string> = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (value !== undefined && !key.startsWith('DOCKER_') && !key.startsWith('COMPOSE_')) env[key] = value;
	}
	env.DOCKER_HOST = host;
	return env;
}

export function composeArgs(project: ComposeProject, args: string[]): string[] {
	const base = ['compose', '--ansi', 'never', '--progress', 'plain', '--project-directory', project.directory];
	for (const file of project.files) base.push('-f', file);
	if (project.name) base.push('-p', project.name);
	return [...base, ...args];
}

export function runCompose(
	project: ComposeProject,
	args: string[],
	options: {timeoutMs?: number; cancelSignal?: AbortSignal} = {},
): ResultPromise<{all: true; extendEnv: false}> {
	return execa(dockerCli(), composeArgs(project, args), {
		cwd: project.directory,
		env: engineEnv(project.host),
		extendEnv: false,
		all: true,
		timeout: options.timeoutMs,
		cancelSignal: options.cancelSignal,
	} as {all: true; extendEnv: false});
}

export async function composeVersion(host: string): Promise<string> {
	const result = await execa(dockerCli(), ['compose', 'version', '--short'], {env: engineEnv(host), extendEnv: false});
	return result.stdout.trim();
}
