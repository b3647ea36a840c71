/**
 * Which files make the project, in compose's order: the `-f` files (given, from COMPOSE_FILE,
 * or compose's default names with the override file), and what each `include:`s — each
 * include a small project of its own, with its own env files and project directory whose
 * variables only fill what the including project leaves unset.
 */
import {existsSync} from 'node:fs';
import path from 'node:path';
import {NetmigrateError, type Problem, type Where} from '../errors.js';
import {readProjectEnvironment, requiredVariableProblems} from './environment.js';
import {interpolate, missingRequired, referencedVariables, type Variables} from './interpolate.js';
import type {ComposeFile, FileTexts} from './model.js';
import {includeEntries, readComposeFile, whereOf, type IncludeEntry} from './read.js';
import {composeRefuses} from './project-verdict.js';
import {composeFileProblems, unsetVariableWarnings} from './verdict.js';

/** A set of files merged together with one set of variables: the project itself, or one include. */
export type FileUnit = {files: ComposeFile[]; variables: Variables; directory: string};

/** `warnings`: compose's own warnings (a variable used but set nowhere), once each. */
export type ReadFiles = {units: FileUnit[]; files: Map<string, ComposeFile>; problems: Problem[]; warnings: string[]};

/** A reading in progress: what was read so far, the stack root, and the texts that stand in for files on disk. */
type Reading = {read: ReadFiles; root: string; texts: FileTexts | undefined; unset: Set<string>};

export function readProjectFiles(root: string, composeFiles: string[], variables: Variables, texts?: FileTexts): ReadFiles {
	const read: ReadFiles = {units: [], files: new Map(), problems: [], warnings: []};
	const unset = new Set<string>();
	readUnit({read, root, texts, unset}, composeFiles, variables, path.dirname(composeFiles[0] ?? root), []);
	return read;
}

function readUnit(
	reading: Reading,
	paths: string[],
	variables: Variables,
	directory: string,
	chain: string[],
	includedFrom?: {file: string; where: Where},
): void {
	const {read, root} = reading;
	const unit: FileUnit = {files: [], variables, directory};
	for (const file of paths) {
		if (chain.includes(file)) {
			throw new NetmigrateError(`include cycle: ${[...chain, file].map((item) => path.relative(root, item)).join(' → ')}`, {
				where: includedFrom?.where,
				hint: 'remove the include that points back to a file already being included',
				code: 'bad-input',
			});
		}
		if (read.files.has(file)) continue;
		const compose = readComposeFile(file, includedFrom, reading.texts);
		read.files.set(file, compose);
		const refused = composeFileProblems(compose);
		if (refused.length > 0) throw composeRefuses(path.relative(root, file) || file, refused);
		read.problems.push(...requiredVariableProblems(compose, variables));
		read.warnings.push(...unsetVariableWarnings(compose, variables, reading.unset));
		for (const include of includeEntries(compose)) readInclude(reading, compose, include, variables, [...chain, file]);
		unit.files.push(compose);
	}
	read.units.push(unit);
}

function readInclude(reading: Reading, compose: ComposeFile, include: IncludeEntry, variables: Variables, chain: string[]): void {
	const where = whereOf(compose, include.node);
	const here = path.dirname(compose.path);
	const resolvePath = (text: string): string | undefined => {
		// Already reported, with its line, by the scan of the including file.
		if (missingRequired(text, variables).length > 0) return undefined;
		const resolved = path.resolve(here, interpolate(text, variables));
		const unset = referencedVariables(text).filter((name) => variables[name] === undefined);
		if (unset.length > 0 && !existsSync(resolved)) {
			throw new NetmigrateError(`include path ${text} names ${unset.join(', ')}, which is not set`, {
				where,
				hint: `compose reads ${unset.join(', ')} from the shell or .env: export it (a shell variable such as HOSTNAME is not exported by default), e.g. \`${unset[0]}=… netmigrate …\`, or set it in .env`,
				code: 'bad-input',
			});
		}
		return resolved;
	};
	const paths = include.paths.map(resolvePath);
	if (paths.some((item) => item === undefined)) return;
	const directory = include.projectDirectory ? (resolvePath(include.projectDirectory) ?? here) : path.dirname(paths[0] as string);
	const envFiles = include.envFiles.map((file) => resolvePath(file)).filter((file): file is string => file !== undefined);
	const own = readProjectEnvironment(directory, {}, envFiles, reading.texts).variables;
	// The including project's variables win; the include's env files only fill the gaps.
	readUnit(reading, paths as string[], {...own, ...variables}, directory, chain, {file: compose.path, where});
}
