/**
 * Secrets stay secret: environment values from the compose project are shown as `****`
 * in diffs, logs and reports. The allow-list variables being edited stay visible (the
 * operator must see the subnets change); a value that is only a `${VAR}` reference is no
 * secret and stays too.
 */
import type {ComposeModel} from './compose/project.js';
import {parseEnvFile} from './compose/envfile.js';
import {soleVariable} from './compose/interpolate.js';
import {readFileSync} from 'node:fs';

export const masked = '****';

export type Masker = (line: string) => string;

/** Every environment key the project sets: services' `environment:`, `.env`, `env_file:`s. */
export function secretKeys(project: ComposeModel): Set<string> {
	const keys = new Set<string>();
	for (const service of project.services.values()) {
		for (const entry of service.environment) keys.add(entry.key);
		for (const file of service.envFiles) {
			try {
				for (const key of parseEnvFile(file, readFileSync(file, 'utf8')).entries.keys()) keys.add(key);
			} catch {
				// An unreadable env_file has nothing to show either.
			}
		}
	}
	for (const key of project.env?.entries.keys() ?? []) keys.add(key);
	return keys;
}

const listForm = /^(\s*-\s*["']?)([A-Za-z_][A-Za-z0-9_.-]*)(=)(.*?)(["']?\s*(?:\s#.*)?)$/;
const mapForm = /^(\s*["']?)([A-Za-z_][A-Za-z0-9_.-]*)(["']?\s*:[ \t]+)(.+?)(\s+#.*)?$/;
const envForm = /^(\s*(?:export\s+)?)([A-Za-z_][A-Za-z0-9_.-]*)(\s*=\s*)(.*)$/;

export function makeMasker(keys: Set<string>, visible: Set<string>): Masker {
	const maskValue = (key: string, value: string) => keys.has(key) && !visible.has(key) && value.trim() !== '' && soleVariable(value.replace(/^["']|["']$/g, '')) === undefined;
	return (line) => {
		for (const pattern of [listForm, mapForm, envForm]) {
			const match = pattern.exec(line);
			if (!match) continue;
			const [, prefix = '', key = '', separator = '', value = '', suffix = ''] = match;
			if (maskValue(key, value)) return `${prefix}${key}${separator}${masked}${suffix}`;
			return line;
		}
		return line;
	};
}

/** Masks a unified diff line by line, keeping the +/-/space marker. */
export function maskDiff(diff: string, masker: Masker): string {
	return diff
		.split('\n')
		.map((line) => {
			const marker = line[0];
			if ((marker === '+' || marker === '-' || marker === ' ') && !line.startsWith('+++') && !line.startsWith('---')) return marker + masker(line.slice(1));
			return line;
		})
		.join('\n');
}
