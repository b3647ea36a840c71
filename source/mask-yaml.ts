/**
 * Where the secrets are in a compose file or an env file, as byte spans found on the YAML
 * nodes (not by matching lines): environment values (map and `KEY=value` list forms, in
 * services and in `x-` anchors), multi-line block scalars as a whole, secret-looking
 * `labels` (basic-auth users with their `$$apr1$$…` hashes, tokens), the values of
 * secret flags in `command:`/`entrypoint:` (`--token=…`, `--password …`) — and, in any value
 * at all, what the value itself shows to be a secret: a URL's password, an `Authorization:`
 * header, `password=…`, `curl -u user:pw`, an interpolation default (`${DB_PASSWORD:-pw}`).
 * The allow-list values under review (`visible`) and plain `${VAR}` references are no secrets.
 */
import {isMap, isScalar, isSeq, parseDocument, type Node, type Pair, type Scalar} from 'yaml';
import {soleVariable} from './compose/interpolate.js';

export type Span = {start: number; end: number};

export type SecretNames = {keys: Set<string>; visible: Set<string>};

const secretName =
	/(pass(word|wd)?|secret|token|api[_.-]?key|private[_.-]?key|credential|basicauth|digestauth|(^|[._-])users$|(^|[._-])key$)/i;
const secretValue = /\$\$?apr1\$|\$\$?2[aby]\$|\{SHA\}|^[^\s:=]+:\$/;
const secretFlag = /(--?[A-Za-z0-9_.-]*(?:pass(?:word|wd)?|secret|token|key|credential|auth)[A-Za-z0-9_.-]*)(=|\s+)("[^"]*"|'[^']*'|\S+)/gi;

/** Secret spans of a compose file; undefined when it does not parse (the caller falls back to lines). */
export function composeSecretSpans(text: string, names: SecretNames): Span[] | undefined {
	const document = parseDocument(text, {keepSourceTokens: false});
	if (document.errors.length > 0) return undefined;
	const visited: Array<{keys: string[]; scalar: Scalar}> = [];
	walk(document.contents as Node | null, [], (keys, scalar) => visited.push({keys, scalar}));
	return [...visited.flatMap(({keys, scalar}) => scalarSecrets(text, keys, scalar, names)), ...valuesAfterLoneFlags(visited)];
}

function walk(node: Node | null, keys: string[], visit: (keys: string[], scalar: Scalar) => void): void {
	if (isMap(node)) {
		for (const pair of node.items as Pair[])
			walk(pair.value as Node | null, [...keys, String(isScalar(pair.key) ? pair.key.value : pair.key)], visit);
	} else if (isSeq(node)) {
		node.items.forEach((item, index) => walk(item as Node, [...keys, `#${index}`], visit));
	} else if (isScalar(node) && node.value !== null && node.value !== undefined && node.range) {
		visit(keys, node);
	}
}

function scalarSecrets(text: string, keys: string[], scalar: Scalar, names: SecretNames): Span[] {
	const value = String(scalar.value);
	const key = keys.at(-1) ?? '';
	const listItem = key.startsWith('#');
	if (names.visible.has(key) || (listItem && names.visible.has(value.slice(0, Math.max(0, value.indexOf('=')))))) return [];
	const whole = wholeSecrets(text, keys, scalar, names);
	return whole.length > 0 ? whole : valueSecrets(text, innerSpan(scalar), value);
}

/** The secrets a scalar's place says it is (an environment value, a secret-named label), masked whole. */
function wholeSecrets(text: string, keys: string[], scalar: Scalar, names: SecretNames): Span[] {
	const value = String(scalar.value);
	const inner = innerSpan(scalar);
	const [parent = '', key = ''] = keys.slice(-2);
	const listItem = key.startsWith('#');
	const isBlock = scalar.type === 'BLOCK_LITERAL' || scalar.type === 'BLOCK_FOLDED';
	if (parent === 'command' || parent === 'entrypoint' || ((key === 'command' || key === 'entrypoint') && !listItem))
		return flagSecrets(text, inner);
	if (listItem) {
		const separator = value.indexOf('=');
		if (separator < 0) return [];
		const name = value.slice(0, separator);
		const rest = value.slice(separator + 1);
		const secret =
			parent === 'labels'
				? secretName.test(name) || secretValue.test(rest)
				: (parent === 'environment' || names.keys.has(name)) && isSecretValue(name, rest, names);
		return secret ? [afterSeparator(text, inner)] : [];
	}
	if (parent === 'labels') return secretName.test(key) || secretValue.test(value) ? [inner] : [];
	const environment = parent === 'environment' || names.keys.has(key) || secretName.test(key);
	if (environment && isSecretValue(key, value, names)) return [inner];
	if (isBlock && !names.visible.has(key) && keys.includes('environment')) return [inner];
	return [];
}

function isSecretValue(key: string, value: string, names: SecretNames): boolean {
	return !names.visible.has(key) && value.trim() !== '' && !bareReference(value);
}

/** `${VAR}`, `$VAR` or `${VAR:?message}`: a reference that holds no value of its own (a default such as `${VAR:-secret}` does). */
export function bareReference(value: string): boolean {
	return soleVariable(value) !== undefined && !/^\$\{[A-Za-z_][A-Za-z0-9_]*:?[-+]/.test(value.trim());
}

/** The span of a scalar's content: inside its quotes; a block scalar with its header, so its first line shows `KEY: ****`. */
function innerSpan(scalar: Scalar): Span {
	const [start, end] = scalar.range as [number, number, number];
	if (scalar.type === 'QUOTE_DOUBLE' || scalar.type === 'QUOTE_SINGLE') return {start: start + 1, end: end - 1};
	return {start, end};
}

function afterSeparator(text: string, span: Span): Span {
	const at = text.indexOf('=', span.start);
	return {start: at < 0 || at >= span.end ? span.start : at + 1, end: span.end};
}

/** `--token=abc`, `--password abc` inside one command string or list item. */
function flagSecrets(text: string, span: Span): Span[] {
	const source = text.slice(span.start, span.end);
	const spans: Span[] = [];
	for (const match of source.matchAll(secretFlag)) {
		if (soleVariable(match[3] as string) !== undefined) continue;
		const valueAt = (match.index ?? 0) + (match[1] as string).length + (match[2] as string).length;
		spans.push({start: span.start + valueAt, end: span.start + valueAt + (match[3] as string).length});
	}
	return spans;
}

/** In `command: [--password, abc]` (and a healthcheck's `test:` list) the item after a lone secret flag is its value. */
function valuesAfterLoneFlags(visited: Array<{keys: string[]; scalar: Scalar}>): Span[] {
	const spans: Span[] = [];
	visited.forEach(({keys, scalar}, index) => {
		const parent = keys.at(-2);
		if (parent !== 'command' && parent !== 'entrypoint' && parent !== 'test') return;
		const flag = String(scalar.value);
		const next = visited[index + 1];
		if (!next || next.keys.length !== keys.length || next.keys.slice(0, -1).join('\0') !== keys.slice(0, -1).join('\0')) return;
		// `-p secret` (mysql's password) but not `-p 8080` (a port): a value that is only digits, dots and colons is no secret.
		const shortPassword = flag === '-p' && !/^[\d.:]+$/.test(String(next.scalar.value));
		if (loneFlag.test(flag) || shortPassword || ((flag === '-u' || flag === '--user') && String(next.scalar.value).includes(':')))
			spans.push(innerSpan(next.scalar));
	});
	return spans;
}

const loneFlag = /^--?[A-Za-z0-9_.-]*(pass(word|wd)?|secret|token|key|credential|auth)[A-Za-z0-9_.-]*$/i;

/** Secret spans of an env file: every value but the visible ones and `${VAR}` references; a quoted value over several lines as a whole. */
export function envSecretSpans(text: string, names: SecretNames): Span[] {
	const spans: Span[] = [];
	const pattern = /^([ \t]*(?:export[ \t]+)?)([A-Za-z_][A-Za-z0-9_.-]*)([ \t]*=[ \t]*)(.*)$/gm;
	for (const match of text.matchAll(pattern)) {
		const [, prefix = '', key = '', separator = '', rest = ''] = match;
		const start = (match.index ?? 0) + prefix.length + key.length + separator.length;
		const value = rest.replace(/\r$/, '');
		const quote = value[0] === '"' || value[0] === "'" ? value[0] : '';
		let end = start + value.replace(/\s+#.*$/, '').length;
		if (quote) {
			const close = text.indexOf(quote, start + 1);
			end = close < 0 ? text.length : close + 1;
		}
		const raw = text.slice(start, end);
		if (!isSecretValue(key, quote ? raw.slice(1, -1) : raw, names)) continue;
		spans.push(quote ? {start: start + 1, end: end - 1} : {start, end});
	}
	return spans;
}

/**
 * Secrets a value holds whatever its key: the password of a URL (`postgres://user:pw@db`), an
 * `Authorization:` or API-key header, `password=…`/`--token=…`, a secret flag's value
 * (`--password pw`), `curl -u user:pw`, and an interpolation default (`${DB_PASSWORD:-pw}`:
 * whole when the variable's name is a secret's, else judged as a value). Each found part is
 * masked where it is written in the scalar's source; a part not found there verbatim (an escape
 * in a quoted scalar) masks the whole scalar.
 */
function valueSecrets(text: string, inner: Span, value: string): Span[] {
	const parts = secretParts(value);
	if (parts.length === 0) return [];
	const source = text.slice(inner.start, inner.end);
	const spans: Span[] = [];
	for (const part of parts) {
		let found = false;
		for (let at = source.indexOf(part); at !== -1; at = source.indexOf(part, at + part.length)) {
			spans.push({start: inner.start + at, end: inner.start + at + part.length});
			found = true;
		}
		if (!found) return [inner];
	}
	return spans;
}

const valuePatterns: Array<{pattern: RegExp; group: number}> = [
	{pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:@/'"]*:([^\s@/'"]+)@/gi, group: 1},
	{pattern: /\b(?:proxy-)?authorization\s*:\s*(?:(?:bearer|basic|token|digest|apikey|negotiate)\s+)?([^\s'"]+)/gi, group: 1},
	{pattern: /\b(?:x-[a-z-]*(?:key|token|secret|auth)[a-z-]*|[a-z-]*api-?key|private-token)\s*:\s*([^\s'"]+)/gi, group: 1},
	{
		pattern:
			/(?:^|[\s;&?,'"])(?:--?)?[a-z0-9_.-]*(?:pass(?:word|wd)?|secret|token|api[_-]?key|apikey|credential|auth)[a-z0-9_.-]*=([^\s&;,'"]+)/gi,
		group: 1,
	},
	{
		pattern:
			/(?:^|\s)--?[a-z0-9_.-]*(?:pass(?:word|wd)?|secret|token|api[_-]?key|credential)[a-z0-9_.-]*\s+(["']?)([^\s"'-][^\s"']*)\1/gi,
		group: 2,
	},
	{pattern: /(?:^|\s)(?:-u|--user|--proxy-user)(?:\s+|=)(["']?)[^\s:'"]*:([^\s'"]+)\1/g, group: 2},
];

/** The secret substrings of a value (see valueSecrets). */
export function secretParts(value: string): string[] {
	const parts: string[] = [];
	for (const match of value.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*):?[-+]((?:[^{}]|\{[^{}]*\})*)\}/g)) {
		const [, name = '', fallback = ''] = match;
		if (fallback.trim() === '') continue;
		if (secretName.test(name)) parts.push(fallback);
		else parts.push(...secretParts(fallback));
	}
	for (const {pattern, group} of valuePatterns) {
		for (const match of value.matchAll(pattern)) {
			const part = match[group];
			if (part && !bareReference(part) && !/^\$\{/.test(part)) parts.push(part);
		}
	}
	return [...new Set(parts)].filter((part) => part.length > 0);
}
