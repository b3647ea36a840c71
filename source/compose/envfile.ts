/**
 * `.env` and `env_file:` files: KEY=VALUE lines, comments, `export`, quotes. Parsed with line
 * numbers for error messages; edited by replacing one line's value so every other byte stays.
 */
export type EnvEntry = {key: string; value: string; line: number};

export type EnvFile = {path: string; text: string; entries: Map<string, EnvEntry>};

const linePattern = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/;

export function parseEnvFile(path: string, text: string): EnvFile {
	const entries = new Map<string, EnvEntry>();
	text.split(/\r?\n/).forEach((raw, index) => {
		if (/^\s*(#|$)/.test(raw)) return;
		const match = linePattern.exec(raw);
		if (!match) return;
		entries.set(match[1] as string, {key: match[1] as string, value: unquote(match[2] as string), line: index + 1});
	});
	return {path, text, entries};
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
