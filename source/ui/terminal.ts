/**
 * What the operator's terminal can show. A non-UTF-8 locale (`LANG=C`, `POSIX`, `en_US` with
 * Latin-1) or a terminal type without Unicode fonts (`dumb`, `vt100`/`vt220`, the Linux console)
 * shows UTF-8 bytes as garbage, so the wizard draws in ASCII there: ASCII glyphs and borders in
 * the components, and, as a last net for text the UI does not own (action descriptions, compose
 * diffs with a user's accented comments, error messages), an stdout that transliterates every
 * other character, one column for one column so Ink's layout stays true.
 * `NETMIGRATE_GLYPHS=ascii|unicode` overrides the guess.
 */

export type Charset = 'unicode' | 'ascii';

/** Terminal types whose fonts have no box-drawing, braille or arrows (xterm*, screen*, tmux* do). */
const asciiTerminals = /^(dumb|vt\d+|linux|cons\d+|ansi|sun|wsvt25)(-|$)/;

export function charset(env: NodeJS.ProcessEnv = process.env): Charset {
	const override = env.NETMIGRATE_GLYPHS;
	if (override === 'ascii' || override === 'unicode') return override;
	if (asciiTerminals.test(env.TERM ?? '')) return 'ascii';
	// The C library's order: LC_ALL, then LC_CTYPE, then LANG; none set is the C locale.
	const locale = env.LC_ALL || env.LC_CTYPE || env.LANG || 'C';
	return /utf-?8/i.test(locale) ? 'unicode' : 'ascii';
}

/** One-column stand-ins for the characters the UI and its data use most. */
const stand: Record<string, string> = {
	'→': '>',
	'←': '<',
	'↑': '^',
	'↓': 'v',
	'↺': '<',
	'❯': '>',
	'›': '>',
	'‹': '<',
	'»': '>',
	'«': '<',
	'·': '.',
	'•': '*',
	'…': '.',
	'—': '-',
	'–': '-',
	'‐': '-',
	'−': '-',
	'×': 'x',
	'‘': "'",
	'’': "'",
	'“': '"',
	'”': '"',
	'✔': 'v',
	'✓': 'v',
	'✖': 'x',
	'✗': 'x',
	'○': 'o',
	'●': '*',
	'◯': 'o',
	'⚠': '!',
	'\u00A0': ' ',
	'─': '-',
	'━': '-',
	'│': '|',
	'┃': '|',
	'╭': '+',
	'╮': '+',
	'╰': '+',
	'╯': '+',
	'┌': '+',
	'┐': '+',
	'└': '+',
	'┘': '+',
	'├': '+',
	'┤': '+',
	'┬': '+',
	'┴': '+',
	'┼': '+',
	'═': '=',
	'║': '|',
	'╔': '+',
	'╗': '+',
	'╚': '+',
	'╝': '+',
};

const zeroWidth = /^[\p{Mn}\p{Me}\u200B-\u200F\uFE00-\uFE0F]$/u;
const wide =
	/^[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\p{Extended_Pictographic}\u{20000}-\u{3FFFD}]$/u;

/** Replaces each non-ASCII character by ASCII of the same width (an accented letter loses its accent). */
export function toAscii(text: string): string {
	// eslint-disable-next-line no-control-regex
	if (!/[^\u0000-\u007F]/.test(text)) return text;
	let out = '';
	for (const char of text) {
		if (char.charCodeAt(0) < 0x80) out += char;
		else if (stand[char] !== undefined) out += stand[char];
		else out += plain(char);
	}
	return out;
}

function plain(char: string): string {
	const bare = char.normalize('NFD').replace(/\p{Mn}/gu, '');
	// eslint-disable-next-line no-control-regex
	if (bare && /^[\u0000-\u007F]+$/.test(bare)) return bare;
	if (zeroWidth.test(char)) return '';
	return wide.test(char) ? '??' : '?';
}

/** The terminal's stdout, writing only ASCII: everything else passes through to the real stream. */
export function asciiOnly<T extends {write: (...args: never[]) => unknown}>(stdout: T): T {
	return new Proxy(stdout, {
		get(target, property) {
			if (property === 'write') {
				return (chunk: unknown, ...rest: unknown[]) =>
					(target.write as (...args: unknown[]) => unknown).call(
						target,
						typeof chunk === 'string' ? toAscii(chunk) : chunk,
						...rest,
					);
			}
			const value: unknown = Reflect.get(target, property, target);
			return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
		},
	});
}

/** The stdout Ink should draw on for this terminal. */
export function terminalOutput<T extends {write: (...args: never[]) => unknown}>(stdout: T, env: NodeJS.ProcessEnv = process.env): T {
	return charset(env) === 'ascii' ? asciiOnly(stdout) : stdout;
}
