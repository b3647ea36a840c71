/**
 * Every place a `.env` variable is used in a compose project: `${VAR}` in any value of any
 * compose file (as compose reads it, merges followed), in other env files, and services
 * that read the whole env file through `env_file:`. Before netmigrate extends a variable
 * for one allow-list, it must be that variable's only use: the same `${NET_SUBNET}` as a
 * network's ipam `subnet:` would otherwise break that network.
 */
import {maxAliasCount} from '../yaml-input.js';
import {statSync} from 'node:fs';
import path from 'node:path';
import type {Node} from 'yaml';
import {NetmigrateError, type Where} from '../errors.js';
import {parseEnvFile, type EnvFile} from './envfile.js';
import {referencedVariables} from './interpolate.js';
import type {FileTexts} from './model.js';
import {whereOf, type ComposeModel, type ServiceModel} from './project.js';
import {readText} from './read.js';

export type VariableUse = {where: Where; what: string};

/** The allow-list and the `.env` variable it would extend, with the value it would get. */
export type AllowListSource = {service: ServiceModel; variable: string; envPath: string; key: string; after: string};

/** Refuses to extend `source.key` when anything but the allow-list itself uses it. */
export function refuseSharedVariable(model: ComposeModel, source: AllowListSource): void {
	const uses = otherUses(model, source);
	if (uses.length === 0) return;
	const relative = (file: string | undefined) => (file ? path.relative(model.root, file) || file : '');
	const listed = uses.map((use) => `${use.what} (${relative(use.where.file)}${use.where.line ? `:${use.where.line}` : ''})`).join('; ');
	throw new NetmigrateError(
		`${source.key} in ${relative(source.envPath)} is not only ${source.service.name}'s ${source.variable}: it is also used by ${listed}; extending it would change that too`,
		{
			where: uses[0]?.where,
			hint: `write the list in ${source.service.name}'s own environment (\`${source.variable}: ${source.after}\`), or give the allow-list a variable of its own in ${relative(source.envPath)} (\`${source.variable}: \${${source.variable}}\` with \`${source.variable}=${source.after}\`), then run the plan again`,
			code: 'bad-input',
		},
	);
}

export function otherUses(model: ComposeModel, source: AllowListSource): VariableUse[] {
	const uses: VariableUse[] = [];
	for (const compose of model.files.values()) {
		const data = compose.document.toJS({maxAliasCount}) as Record<string, unknown> | null;
		for (const [key, value] of Object.entries(data ?? {})) {
			// Extension fields (`x-…`) are read by compose only where they are merged in, and show there.
			if (key.startsWith('x-')) continue;
			walk(value, [key], (keys, text) => {
				if (!referencedVariables(text).includes(source.key)) return;
				if (isTheAllowList(keys, text, source) && compose.path === source.service.file) return;
				const node = compose.document.getIn(keys, true) as Node | undefined;
				uses.push({where: node ? whereOf(compose, node) : {file: compose.path}, what: keys.join('.')});
			});
		}
	}
	for (const file of envFiles(model)) {
		for (const entry of file.entries.values()) {
			if (file.path === source.envPath && entry.key === source.key) continue;
			const raw = file.text.split(/\r?\n/)[entry.line - 1] ?? '';
			if (referencedVariables(raw.slice(raw.indexOf('=') + 1)).includes(source.key))
				uses.push({where: {file: file.path, line: entry.line}, what: entry.key});
		}
	}
	for (const service of model.services.values()) {
		if (service.name !== source.service.name && service.envFiles.includes(source.envPath)) {
			uses.push({
				where: {file: service.file, service: service.name},
				what: `service ${service.name}, which reads the whole file as its env_file`,
			});
		}
	}
	return uses;
}

function isTheAllowList(keys: string[], text: string, source: AllowListSource): boolean {
	const [top, service, field, entry] = keys;
	if (top !== 'services' || service !== source.service.name || field !== 'environment' || keys.length !== 4) return false;
	return entry === source.variable || text.startsWith(`${source.variable}=`);
}

function walk(value: unknown, keys: string[], visit: (keys: string[], text: string) => void): void {
	if (typeof value === 'string') visit(keys, value);
	else if (Array.isArray(value)) value.forEach((item, index) => walk(item, [...keys, String(index)], visit));
	else if (value && typeof value === 'object') for (const [key, item] of Object.entries(value)) walk(item, [...keys, key], visit);
}

function envFiles(model: ComposeModel): EnvFile[] {
	const paths = new Set<string>([
		...(model.env ? [model.env.path] : []),
		...[...model.services.values()].flatMap((service) => service.envFiles),
	]);
	return [...paths].flatMap(
		(file) => (file === model.env?.path ? [model.env] : (readEnvFile(file, model.loadedWith.options.texts) ?? [])) as EnvFile[],
	);
}

/** An env file (`texts` stand in for files on disk), or undefined when it cannot be read. */
export function readEnvFile(file: string, texts?: FileTexts): EnvFile | undefined {
	try {
		return parseEnvFile(file, readText(file, texts));
	} catch (error) {
		// A FIFO, a folder, a Latin-1 or malformed env_file is refused as compose refuses it; a missing one is reported where it is named.
		if (error instanceof NetmigrateError) throw error;
		return undefined;
	}
}

export function fileMode(file: string): number {
	try {
		return statSync(file).mode & 0o7777;
	} catch {
		return 0o644;
	}
}
