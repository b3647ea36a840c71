/**
 * Secrets stay secret: values from the compose project are shown as `****` in diffs, logs
 * and reports. Which bytes are secret is decided on the YAML nodes (mask-yaml.ts), so a
 * multi-line value, a basic-auth label or a `--token` argument is masked as a whole; the
 * diff is made from the real texts and each shown line is masked where its node is. The
 * allow-list values being edited stay visible (the operator must see the subnets change),
 * even when they live in `.env` under another name; a bare `${VAR}` reference is no secret.
 */
import {formatPatch, structuredPatch} from 'diff';
import type {ComposeModel} from './compose/project.js';
import {parseEnvFile} from './compose/envfile.js';
import {readInputText} from './input-file.js';
import {bareReference, composeSecretSpans, envSecretSpans, type SecretNames, type Span} from './mask-yaml.js';

export const masked = '****';

export type Masker = (line: string) => string;

/** Every environment key the project sets: services' `environment:`, `.env`, `env_file:`s. */
export function secretKeys(project: ComposeModel): Set<string> {
	const keys = new Set<string>();
	for (const service of project.services.values()) {
		for (const entry of service.environment) keys.add(entry.key);
		for (const file of service.envFiles) {
			try {
				for (const key of parseEnvFile(file, readInputText(file)).entries.keys()) keys.add(key);
			} catch {
				// An unreadable env_file has nothing to show either.
			}
		}
	}
	for (const key of project.env?.entries.keys() ?? []) keys.add(key);
	return keys;
}

/**
 * A unified diff of one file with its secrets masked. `kind` says how to find them: YAML
 * nodes for a compose file, KEY=value lines for an env file.
 */
export function maskedFileDiff(file: {kind: 'compose' | 'env'; before: string; after: string}, label: string, names: SecretNames): string {
	const patch = structuredPatch(`a/${label}`, `b/${label}`, file.before, file.after, '', '', {context: 3});
	const before = lineMasks(file.before, file.kind, names);
	const after = lineMasks(file.after, file.kind, names);
	for (const hunk of patch.hunks) {
		let oldLine = hunk.oldStart - 1;
		let newLine = hunk.newStart - 1;
		hunk.lines = hunk.lines.map((line) => {
			const marker = line[0];
			if (marker === '\\') return line;
			const mask = marker === '+' ? after(newLine, line.slice(1)) : before(oldLine, line.slice(1));
			if (marker !== '+') oldLine++;
			if (marker !== '-') newLine++;
			return marker + mask;
		});
	}
	return formatPatch(patch).split('\n').slice(1).join('\n');
}

/** For a text, a function masking its line `index` (0-based). */
function lineMasks(text: string, kind: 'compose' | 'env', names: SecretNames): (index: number, line: string) => string {
	const spans = kind === 'compose' ? composeSecretSpans(text, names) : envSecretSpans(text, names);
	if (spans === undefined) {
		const fallback = makeMasker(names.keys, names.visible);
		return (_index, line) => fallback(line);
	}
	const starts: number[] = [0];
	for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
	const byLine = new Map<number, Span[]>();
	for (const span of spans) {
		for (
			let index = lineIndex(starts, span.start);
			index < starts.length && (starts[index] as number) < Math.max(span.end, span.start + 1);
			index++
		) {
			const list = byLine.get(index) ?? [];
			list.push(span);
			byLine.set(index, list);
		}
	}
	return (index, line) => maskLine(line, starts[index] ?? 0, byLine.get(index) ?? []);
}

function lineIndex(starts: number[], offset: number): number {
	let low = 0;
	let high = starts.length - 1;
	while (low < high) {
		const middle = Math.ceil((low + high) / 2);
		if ((starts[middle] as number) <= offset) low = middle;
		else high = middle - 1;
	}
	return low;
}

/** Replaces each span's part of the line (its indentation kept) with `****`. */
function maskLine(line: string, lineStart: number, spans: Span[]): string {
	const content = line.replace(/\r$/, '');
	const indent = /^\s*/.exec(content)?.[0].length ?? 0;
	const parts = spans
		.map((span) => ({start: Math.max(span.start - lineStart, indent), end: Math.min(span.end - lineStart, content.length)}))
		.filter((part) => part.end > part.start)
		.sort((a, b) => b.start - a.start);
	let result = line;
	let limit = Number.POSITIVE_INFINITY;
	for (const part of parts) {
		if (part.end > limit) continue;
		result = result.slice(0, part.start) + masked + result.slice(part.end);
		limit = part.start;
	}
	return result;
}

const listForm = /^(\s*-\s*["']?)([A-Za-z_][A-Za-z0-9_.-]*)(=)(.*?)(["']?\s*(?:\s#.*)?)$/;
const mapForm = /^(\s*["']?)([A-Za-z_][A-Za-z0-9_.-]*)(["']?\s*:[ \t]+)(.+?)(\s+#.*)?$/;
const envForm = /^(\s*(?:export\s+)?)([A-Za-z_][A-Za-z0-9_.-]*)(\s*=\s*)(.*)$/;

/** The line-by-line masker, for text that does not parse (and for log lines). */
export function makeMasker(keys: Set<string>, visible: Set<string>): Masker {
	const maskValue = (key: string, value: string) =>
		keys.has(key) && !visible.has(key) && value.trim() !== '' && !bareReference(value.replace(/^["']|["']$/g, ''));
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
			if ((marker === '+' || marker === '-' || marker === ' ') && !line.startsWith('+++') && !line.startsWith('---'))
				return marker + masker(line.slice(1));
			return line;
		})
		.join('\n');
}
