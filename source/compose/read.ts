/**
 * Reading one compose file: its text, a yaml Document that keeps comments and anchors for
 * edits, line positions for messages; and finding the compose files of a folder the way
 * compose does when no `-f` is given. A file's text comes from the disk unless the reader is
 * given texts that stand in for it (a dry run reading the stack as earlier iterations would
 * leave it).
 */
import {existsSync, statSync} from 'node:fs';
import path from 'node:path';
import {isMap, isScalar, isSeq, LineCounter, type Node, type YAMLSeq} from 'yaml';
import {readInputText} from '../input-file.js';
import {parseYamlInput, yamlData} from '../yaml-input.js';
import {NetmigrateError, type Where} from '../errors.js';
import type {ComposeFile, FileTexts, Origin} from './model.js';

export const composeFileNames = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];
const overrideFileNames = ['compose.override.yml', 'compose.override.yaml', 'docker-compose.override.yml', 'docker-compose.override.yaml'];

/** With no `-f`: the first of compose's file names in `directory`, then its first override file, if any. */
export function defaultComposeFiles(directory: string): string[] {
	const main = composeFileNames.find((name) => existsSync(path.join(directory, name)));
	if (!main) {
		throw new NetmigrateError(`no compose file in ${directory}`, {
			code: 'bad-input',
			hint: `expected one of ${composeFileNames.join(', ')}, or pass -f <file>`,
		});
	}
	const override = overrideFileNames.find((name) => existsSync(path.join(directory, name)));
	return override ? [main, override] : [main];
}

/** A file's text: the one `texts` holds for it, else the one on disk. */
export function readText(file: string, texts?: FileTexts): string {
	return texts?.get(file) ?? readInputText(file);
}

export function readComposeFile(file: string, includedFrom?: {file: string; where: Where}, texts?: FileTexts): ComposeFile {
	let text: string;
	let mode: number;
	try {
		text = readText(file, texts);
		mode = statSync(file).mode & 0o7777;
	} catch (error) {
		if (error instanceof NetmigrateError) throw error;
		const code = (error as NodeJS.ErrnoException).code;
		const where = includedFrom?.where ?? {file};
		if (code === 'ENOENT') {
			throw new NetmigrateError(`compose file ${file} does not exist`, {
				where,
				hint: includedFrom
					? 'fix the path (it is relative to the file that names it)'
					: 'check `stack.root` and `stack.files` in netmigrate.yml',
				code: 'bad-input',
			});
		}
		if (code === 'EACCES') {
			throw new NetmigrateError(`permission denied reading ${file}`, {
				where,
				hint: 'run netmigrate as the user that owns the stack (or root)',
				code: 'bad-input',
			});
		}
		throw new NetmigrateError(`cannot read ${file}: ${(error as Error).message}`, {
			where,
			hint: 'it must be a readable compose file; fix the path or the file',
			code: 'bad-input',
		});
	}
	const lines = new LineCounter();
	const document = parseYamlInput(file, text, {lineCounter: lines, merge: true, keepSourceTokens: false} as never);
	const problem = document.errors[0];
	if (problem) {
		const position = problem.linePos?.[0];
		throw new NetmigrateError(`invalid YAML: ${problem.message.split('\n')[0]}`, {
			where: {file, line: position?.line, column: position?.col},
			hint: 'fix the YAML syntax at that position (`docker compose config` shows the same error)',
			code: 'bad-input',
		});
	}
	yamlData(document, file, lines);
	return {path: file, text, document, lines, mode, ...(includedFrom ? {includedFrom: includedFrom.file} : {})};
}

/** One `include:` entry as written (paths not yet interpolated). */
export type IncludeEntry = {paths: string[]; envFiles: string[]; projectDirectory?: string; node: Node};

export function includeEntries(compose: ComposeFile): IncludeEntry[] {
	const node = compose.document.get('include', true);
	if (node === undefined || node === null) return [];
	if (!isSeq(node)) throw badShape(compose, node as Node, '`include:` must be a list');
	return node.items.map((item) => {
		if (isScalar(item)) return {paths: [String(item.value)], envFiles: [], node: item};
		if (!isMap(item)) throw badShape(compose, item as Node, 'an include entry is a path or a mapping with `path:`');
		const strings = (key: string): string[] => {
			const value = item.get(key, true);
			if (value === undefined || value === null) return [];
			if (isScalar(value)) return [String(value.value)];
			if (isSeq(value)) return (value as YAMLSeq).items.map((entry) => String(isScalar(entry) ? entry.value : entry));
			throw badShape(compose, item as Node, `include \`${key}:\` is a path or a list of paths`);
		};
		const paths = strings('path');
		if (paths.length === 0) throw badShape(compose, item as Node, 'an include entry needs `path:`');
		const projectDirectory = strings('project_directory')[0];
		return {paths, envFiles: strings('env_file'), node: item as Node, ...(projectDirectory === undefined ? {} : {projectDirectory})};
	});
}

export function whereOf(compose: ComposeFile, node: Node | undefined | null): Where {
	const offset = node?.range?.[0];
	if (offset === undefined) return {file: compose.path};
	const position = compose.lines.linePos(offset);
	return {file: compose.path, line: position.line, column: position.col};
}

export function originOf(compose: ComposeFile, node: Node | undefined | null): Origin {
	const where = whereOf(compose, node);
	return {file: compose.path, ...(where.line === undefined ? {} : {line: where.line, column: where.column})};
}

export function badShape(compose: ComposeFile, node: Node, message: string): NetmigrateError {
	return new NetmigrateError(message, {
		where: whereOf(compose, node),
		hint: 'see the Compose file reference; `docker compose config` validates the file',
		code: 'bad-input',
	});
}
