/**
 * The check behind every edit: the edited text, parsed again, must equal the old parsed
 * data with exactly the intended change — read both as YAML 1.2 (this tool) and YAML 1.1
 * (compose's Go reader, where `022` is octal 18 and `yes` is true), so a value that one
 * of them would read differently after the edit is caught. When the check fails nothing
 * is written: the caller refuses with the file, line and what would have changed.
 */
import {maxAliasCount} from '../yaml-input.js';
import {isDeepStrictEqual} from 'node:util';
import {parseDocument} from 'yaml';

export type ComposeData = Record<string, unknown> & {
	services?: Record<string, Record<string, unknown>>;
	networks?: Record<string, unknown>;
};

const versions = ['1.2', '1.1'] as const;

/** The last few texts read, by version: an edit's "after" is the next edit's "before", and reading a large file with merges costs tens of milliseconds. */
const recent = new Map<string, ComposeData | undefined>();

/** The file as data (merge keys resolved), a fresh copy the caller may change. */
export function readData(text: string, version: '1.1' | '1.2' = '1.2'): ComposeData | undefined {
	const key = `${version}\0${text}`;
	if (!recent.has(key)) {
		const document = parseDocument(text, {merge: true, version, uniqueKeys: true} as never);
		recent.set(key, document.errors.length > 0 ? undefined : ((document.toJS({maxAliasCount}) ?? {}) as ComposeData));
		if (recent.size > 8) recent.delete(recent.keys().next().value as string);
	}
	const data = recent.get(key);
	return data === undefined ? undefined : structuredClone(data);
}

/** Undefined when `after` is `before` with exactly `intended` applied; otherwise where they first differ. */
export function unintendedChange(before: string, after: string, intended: (data: ComposeData) => void): string | undefined {
	for (const version of versions) {
		const wanted = readData(before, version);
		const got = readData(after, version);
		if (got === undefined) return 'the edited file would not parse';
		if (wanted === undefined) return 'the file does not parse';
		intended(wanted);
		if (!isDeepStrictEqual(got, wanted))
			return `${firstDifference(wanted, got) || 'the document'} would read differently (YAML ${version})`;
	}
	return undefined;
}

function firstDifference(wanted: unknown, got: unknown, path = ''): string {
	if (wanted && got && typeof wanted === 'object' && typeof got === 'object') {
		const keys = new Set([...Object.keys(wanted), ...Object.keys(got)]);
		for (const key of keys) {
			const a = (wanted as Record<string, unknown>)[key];
			const b = (got as Record<string, unknown>)[key];
			if (!isDeepStrictEqual(a, b)) return firstDifference(a, b, path ? `${path}.${key}` : key);
		}
	}
	return path;
}
