/**
 * `.env` and `env_file:` files: KEY=VALUE lines, comments, `export`, quotes. Parsed with line
 * numbers for error messages; edited by replacing one line's value so every other byte stays.
 */
import {NetmigrateError} from '../errors.js';
import {invalidTemplateAt} from './interpolate.js';

export type EnvEntry = {key: string; value: string; line: number};

export type EnvFile = {path: string; text: string; entries: Map<string, EnvEntry>};

const linePattern = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/;

/**
 * Compose's verdict is kept: a line that is no `KEY=value`, a bare `KEY` (taken from the shell)
 * or a YAML-style `KEY: value`, a quote never closed, and a value with a `$` compose cannot
 * interpolate are refused at their line, as `docker compose config` refuses them.
 */
export function parseEnvFile(path: string, text: string): EnvFile {
	const entries = new Map<string, EnvEntry>();
	const lines = text.split(/\r?\n/);
	for (let index = 0; index < lines.length; index++) {
		const raw = lines[index] as string;
		if (/^\s*(#|$)/.test(raw)) continue;
		const match = linePattern.exec(raw);
		if (!match) {
			if (/^\s*(?:export\s+)?[\p{L}\p{N}_.[\]-]+\s*(?::(?:\s.*)?)?$/u.test(raw)) continue;
			throw badLine(path, index + 1, raw);
		}
		let rest = (match[2] as string).trim();
		const quote = rest[0] === '"' || rest[0] === "'" ? rest[0] : '';
		const start = index;
		// A quoted value may span lines, as in compose; one never closed is an error.
		while (quote && rest.indexOf(quote, 1) < 0) {
			if (++index >= lines.length) throw unterminated(path, start + 1, match[1] as string, quote);
			rest += `\n${lines[index] as string}`;
		}
		const value = unquote(rest);
		if (quote !== "'") {
			const bad = invalidTemplateAt(value);
			if (bad !== undefined) throw invalidTemplate(path, start + 1, match[1] as string, value.slice(bad, bad + 12));
		}
		entries.set(match[1] as string, {key: match[1] as string, value, line: start + 1});
	}
	return {path, text, entries};
}

function badLine(path: string, line: number, raw: string): NetmigrateError {
	const key =
		raw
			.split('=')[0]
			?.trim()
			.replace(/^export\s+/, '') ?? '';
	const character = [...key].find((char) => !/[\p{L}\p{N}_.[\]-]/u.test(char)) ?? raw.trim()[0] ?? '';
	return new NetmigrateError(
		`unexpected character ${JSON.stringify(character)} in variable name ${JSON.stringify(key)} (compose refuses this line)`,
		{
			where: {file: path, line},
			hint: 'write `NAME=value`: a name of letters, digits, `_`, `.` and `-`; comment the line out with `#` if it is a note',
			code: 'bad-input',
		},
	);
}

function unterminated(path: string, line: number, key: string, quote: string): NetmigrateError {
	return new NetmigrateError(
		`unterminated quoted value of ${key}: the ${quote === '"' ? 'double' : 'single'} quote opened here is never closed (compose refuses the file)`,
		{
			where: {file: path, line},
			hint: `close the quote at the end of the value (${key}=${quote}…${quote})`,
			code: 'bad-input',
		},
	);
}

function invalidTemplate(path: string, line: number, key: string, bad: string): NetmigrateError {
	return new NetmigrateError(`invalid interpolation \`${bad}\` in ${key} (compose refuses it: "Invalid template")`, {
		where: {file: path, line},
		hint: 'close the reference (`${NAME}`), write `$$` for a literal `$`, or single-quote the value',
		code: 'bad-input',
	});
}

function unquote(raw: string): string {
	const value = raw.trim();
	const quote = value[0];
	if ((quote === '"' || quote === "'") && value.length >= 2) {
		const end = value.indexOf(quote, 1);
		if (end > 0) return value.slice(1, end);
	}
	// An unquoted value ends at an inline comment (" #").
	return value.replace(/\s+#.*$/, '');
}

/** The text with KEY's value replaced, keeping `export`, quoting, inline comment and line endings. */
export function setEnvValue(file: EnvFile, key: string, value: string): string {
	const entry = file.entries.get(key);
	if (!entry) throw new Error(`${key} is not set in ${file.path}`);
	const lines = file.text.split('\n');
	const raw = lines[entry.line - 1] as string;
	const carriageReturn = raw.endsWith('\r') ? '\r' : '';
	const line = carriageReturn ? raw.slice(0, -1) : raw;
	const match = /^(\s*(?:export\s+)?[A-Za-z_][A-Za-z0-9_.-]*\s*=\s*)(.*)$/.exec(line) as RegExpExecArray;
	const [prefix, rest] = [match[1] as string, match[2] as string];
	const quote = rest[0] === '"' || rest[0] === "'" ? rest[0] : '';
	let suffix = '';
	if (quote) {
		const end = rest.indexOf(quote, 1);
		suffix = end > 0 ? rest.slice(end + 1) : '';
	} else {
		const comment = /\s+#.*$/.exec(rest);
		suffix = comment ? comment[0] : '';
	}
	lines[entry.line - 1] = `${prefix}${quote}${value}${quote}${suffix}${carriageReturn}`;
	return lines.join('\n');
}
