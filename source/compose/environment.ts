/**
 * The variables compose interpolates with, found the way compose finds them: the env files
 * (`--env-file`, several; else COMPOSE_ENV_FILES; else `.env` in the project directory), each
 * later one winning, and the shell winning over all of them. The same variables carry
 * compose's own settings: COMPOSE_FILE (split on COMPOSE_PATH_SEPARATOR), COMPOSE_PROFILES,
 * COMPOSE_PROJECT_NAME.
 */
import {existsSync} from 'node:fs';
import path from 'node:path';
import {isScalar, visit, type Document} from 'yaml';
import {NetmigrateError, type Problem} from '../errors.js';
import {parseEnvFile, type EnvFile} from './envfile.js';
import {missingRequired, type Variables} from './interpolate.js';
import type {ComposeFile, FileTexts} from './model.js';
import {readText, whereOf} from './read.js';

export type ProjectEnvironment = {variables: Variables; files: EnvFile[]; projectNameFrom?: 'environment' | 'env-file'};

/**
 * `envFiles` are relative to `directory`; none given → COMPOSE_ENV_FILES → `<directory>/.env`
 * when it exists. `texts` stand in for env files on disk.
 */
export function readProjectEnvironment(
	directory: string,
	shell: Variables,
	envFiles: string[] = [],
	texts?: FileTexts,
): ProjectEnvironment {
	const fromShell = (shell.COMPOSE_ENV_FILES ?? '')
		.split(',')
		.map((item) => item.trim())
		.filter(Boolean);
	const given = envFiles.length > 0 ? envFiles : fromShell;
	const paths =
		given.length > 0
			? given.map((file) => path.resolve(directory, file))
			: [path.join(directory, '.env')].filter((file) => existsSync(file));
	const files = paths.map((file) => readEnvFile(file, given.length > 0, texts));
	const variables: Variables = {};
	for (const file of files) for (const entry of file.entries.values()) variables[entry.key] = entry.value;
	const fromFiles = variables.COMPOSE_PROJECT_NAME;
	for (const [key, value] of Object.entries(shell)) if (value !== undefined) variables[key] = value;
	const projectNameFrom = shell.COMPOSE_PROJECT_NAME ? 'environment' : fromFiles ? 'env-file' : undefined;
	return {variables, files, ...(projectNameFrom ? {projectNameFrom} : {})};
}

function readEnvFile(file: string, named: boolean, texts: FileTexts | undefined): EnvFile {
	try {
		return parseEnvFile(file, readText(file, texts));
	} catch (error) {
		if (error instanceof NetmigrateError) throw error;
		const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
		throw new NetmigrateError(missing ? `env file ${file} does not exist` : `cannot read ${file}: ${(error as Error).message}`, {
			where: {file},
			hint:
				missing && named
					? 'fix the --env-file path (or `stack.envFiles` in netmigrate.yml); it is relative to the stack root'
					: 'check its permissions',
			code: 'bad-input',
		});
	}
}

/** COMPOSE_FILE split on COMPOSE_PATH_SEPARATOR (`:` on Linux, as compose does). */
export function composeFileVariable(variables: Variables): string[] {
	const separator = variables.COMPOSE_PATH_SEPARATOR || ':';
	return (variables.COMPOSE_FILE ?? '')
		.split(separator)
		.map((item) => item.trim())
		.filter(Boolean);
}

/** COMPOSE_PROFILES, comma-separated. */
export function profilesVariable(variables: Variables): string[] {
	return (variables.COMPOSE_PROFILES ?? '')
		.split(',')
		.map((item) => item.trim())
		.filter(Boolean);
}

/**
 * Every required variable (`${VAR:?err}`, `${VAR?err}`) a file needs and does not have, each
 * at its line. Compose interpolates the whole file (also `x-` keys and services of inactive
 * profiles), so every value counts; a value behind an anchor is reported once, where it is written.
 */
export function requiredVariableProblems(compose: ComposeFile, variables: Variables): Problem[] {
	const problems: Problem[] = [];
	visit(compose.document as Document, {
		Scalar(key, node) {
			if (key === 'key' || !isScalar(node) || typeof node.value !== 'string' || !node.value.includes('$')) return;
			for (const message of missingRequired(node.value, variables)) {
				problems.push({
					message,
					where: whereOf(compose, node),
					hint: 'set it in the shell, in .env (or the --env-file), as the message asks',
				});
			}
		},
	});
	return problems;
}
